import SwiftUI

/// A text field whose text the core keeps (a form's draft). Every edit goes to the core at
/// once, so a refusal, a sync or a language switch loses nothing typed.
///
/// The field keeps its own copy of the text while it is typed in, so that a render never moves
/// the cursor or breaks off a word being composed with an input method (pinyin); it takes the
/// core's value only when the core changes it, as when a form is cleared after saving.
struct DraftField: View {
    private let title: String
    private let value: String
    private let axis: Axis
    private let onEdit: (String) -> Void
    @State private var text: String

    init(_ title: String, value: String, axis: Axis = .horizontal, onEdit: @escaping (String) -> Void) {
        self.title = title
        self.value = value
        self.axis = axis
        self.onEdit = onEdit
        _text = State(initialValue: value)
    }

    var body: some View {
        TextField(title, text: $text, axis: axis)
            .onChange(of: text) { _, typed in
                if typed != value {
                    onEdit(typed)
                }
            }
            .onChange(of: value) { _, kept in
                if kept != text {
                    text = kept
                }
            }
    }
}
