import RoundsCore
import SharedTypes
import SwiftUI

/// Signing in. What was typed stays in this screen; the core says when a second-factor code is
/// needed (and words its field), whether it is busy, and why it refused.
struct SignInScreen: View {
    @Environment(Core.self) private var core
    let signIn: SignInView
    @State private var login = ""
    @State private var password = ""
    @State private var code = ""

    var body: some View {
        let frame = core.view.labels.frame
        NavigationStack {
            Form {
                Section {
                    TextField(frame.login.text, text: $login)
                        .textContentType(.username)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                    SecureField(frame.password.text, text: $password)
                        .textContentType(.password)
                } header: {
                    Text(frame.tagline)
                }
                if let field = signIn.code {
                    Section {
                        TextField(field.label.text, text: $code)
                            .textContentType(.oneTimeCode)
                            .textInputAutocapitalization(.never)
                            .autocorrectionDisabled()
                    } footer: {
                        Text(field.hint)
                    }
                }
                if let error = signIn.error {
                    Section {
                        Text(error)
                            .foregroundStyle(.red)
                    }
                }
                Section {
                    Button(action: submit) {
                        Text(signIn.busy ? frame.signingIn : frame.signIn)
                            .frame(maxWidth: .infinity)
                    }
                    .disabled(signIn.busy)
                }
            }
            .onSubmit(submit)
            .navigationTitle(frame.appName.text)
            .toolbar {
                ToolbarItem(placement: .topBarTrailing) {
                    LanguageMenu()
                }
            }
        }
    }

    private func submit() {
        core.send(.signIn(login: login, password: password, code: code))
    }
}
