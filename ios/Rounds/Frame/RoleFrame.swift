import RoundsCore
import SharedTypes
import SwiftUI

/// The frame around every signed-in screen, inside its navigation stack: the person's menu,
/// the sync status and notices, customer search (the same for every role: while something is
/// typed, the results take the screen's place), and the sheets every role shares, the
/// customer form and the conflict inbox.
struct RoleFrame<Content: View>: View {
    @Environment(Core.self) private var core
    private let title: String
    private let content: Content
    @State private var query = ""
    @State private var inboxOpen = false

    init(title: String, @ViewBuilder content: () -> Content) {
        self.title = title
        self.content = content()
    }

    var body: some View {
        let view = core.view
        Group {
            if query.isEmpty {
                content
            } else {
                LookupResults()
            }
        }
        .navigationTitle(title)
        .searchable(text: $query, prompt: Text(view.labels.lookup.placeholder))
        .autocorrectionDisabled()
        .onAppear {
            // The core keeps the search across roles; so does the box.
            query = view.lookup.query
        }
        .onChange(of: query) { _, query in
            if query != core.view.lookup.query {
                core.send(.lookup(.query(query)))
            }
        }
        .safeAreaInset(edge: .top, spacing: 0) {
            StatusStrip(inboxOpen: $inboxOpen)
        }
        .toolbar {
            ToolbarItem(placement: .topBarTrailing) {
                FrameMenu()
            }
        }
        .sheet(isPresented: customerFormOpen) {
            CustomerForm()
        }
        .sheet(isPresented: $inboxOpen) {
            ConflictInbox()
        }
    }

    /// Open while the core holds a customer form; closing the sheet closes the form.
    private var customerFormOpen: Binding<Bool> {
        Binding(
            get: { core.view.lookup.form != nil },
            set: { open in
                if !open, core.view.lookup.form != nil {
                    core.send(.lookup(.closeCustomer))
                }
            }
        )
    }
}
