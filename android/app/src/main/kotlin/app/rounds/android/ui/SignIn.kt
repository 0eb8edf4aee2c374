package app.rounds.android.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.autofill.ContentType
import androidx.compose.ui.semantics.contentType
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import app.rounds.shared.Event
import app.rounds.shared.FrameLabels
import app.rounds.shared.SignInView

/**
 * Sign-in: login and password, and the second-factor code when the core asks for it. What is
 * typed stays here until sent (the password is never saved with the screen's state); the core
 * says whether it is busy and why a sign-in was refused.
 */
@Composable
fun SignInScreen(
    state: SignInView,
    frame: FrameLabels,
    onEvent: (Event) -> Unit,
    modifier: Modifier = Modifier,
) {
    var login by rememberSaveable { mutableStateOf("") }
    var password by remember { mutableStateOf("") }
    var code by remember { mutableStateOf("") }
    val submit = { if (!state.busy) onEvent(Event.SignIn(login, password, code)) }

    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
        modifier = modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(24.dp),
    ) {
        Text(frame.appName.text, style = MaterialTheme.typography.headlineLarge)
        Text(frame.tagline.text, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        val field = Modifier.fillMaxWidth().widthIn(max = 480.dp)
        OutlinedTextField(
            value = login,
            onValueChange = { login = it },
            label = { Text(frame.login.text) },
            singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Email, imeAction = ImeAction.Next),
            modifier = field.semantics { contentType = ContentType.Username },
        )
        OutlinedTextField(
            value = password,
            onValueChange = { password = it },
            label = { Text(frame.password.text) },
            singleLine = true,
            visualTransformation = PasswordVisualTransformation(),
            keyboardOptions =
                KeyboardOptions(
                    keyboardType = KeyboardType.Password,
                    imeAction = if (state.code != null) ImeAction.Next else ImeAction.Go,
                ),
            keyboardActions = KeyboardActions(onGo = { submit() }),
            modifier = field.semantics { contentType = ContentType.Password },
        )
        // Shown while the core asks for a code; its label and hint are the core's.
        state.code?.let { ask ->
            OutlinedTextField(
                value = code,
                onValueChange = { code = it },
                label = { Text(ask.label.text) },
                supportingText = { Text(ask.hint.text) },
                singleLine = true,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Ascii, imeAction = ImeAction.Go),
                keyboardActions = KeyboardActions(onGo = { submit() }),
                modifier = field,
            )
        }
        Refusal(state.error)
        Button(onClick = submit, enabled = !state.busy, modifier = field) {
            Text(if (state.busy) frame.signingIn.text else frame.signIn.text)
        }
    }
}
