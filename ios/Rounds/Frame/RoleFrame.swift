import RoundsCore
import SharedTypes
import SwiftUI

/// The frame around every role's first screen, inside its navigation stack: the person's menu,
/// the status strip, and customer search (the same for every role: while something is typed,
/// the results take the screen's place, and the customer form opens over them).
struct RoleFrame<Content: View>: View {
    @Environment(Core.self) private var core
    private let title: String
    private let content: Content
    @State private var query = ""

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
        .onAppear {
            // The core keeps the search across roles; so does the box.
            query = view.lookup.query
        }
        .onChange(of: query) { _, query in
            if query != core.view.lookup.query {
                core.send(.lookup(.query(query)))
            }
        }
        .statusStrip()
        .toolbar {
            ToolbarItem(placement: .topBarTrailing) {
                FrameMenu()
            }
        }
        .sheet(isPresented: customerFormOpen) {
            CustomerForm()
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
