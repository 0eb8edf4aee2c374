import SharedTypes
import SwiftUI

extension Text {
    /// Words from the core, shown as they are: every word on screen comes worded from the view
    /// model, in the person's language, so none is ever a key into a string table.
    init(_ word: Word) {
        self.init(verbatim: word.text)
    }
}

extension Array where Element == ActionButton {
    /// The words of the button the view model offers for `action`, if it offers it: what may be
    /// done to a job is the core's decision.
    func offered(_ action: JobAction) -> Word? {
        first { $0.action == action }?.label
    }
}
