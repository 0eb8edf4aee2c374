package app.rounds.android.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.size
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.DatePicker
import androidx.compose.material3.DatePickerDialog
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TimePicker
import androidx.compose.material3.rememberDatePickerState
import androidx.compose.material3.rememberTimePickerState
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.LocalTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException

/**
 * A date and time the core reads as text, `YYYY-MM-DDTHH:MM` in the store's zone (what a web
 * `datetime-local` field gives), picked with Material's date then time picker. The shell only
 * formats what was picked; the core reads it, and says on the form when it is wrong.
 *
 * @param label shown while nothing is picked (the core's word for the field).
 * @param confirm and [dismiss] are the dialogs' buttons, in the core's words.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun DateTimeField(
    value: String,
    onValueChange: (String) -> Unit,
    label: String,
    confirm: String,
    dismiss: String,
    modifier: Modifier = Modifier,
    enabled: Boolean = true,
) {
    val current = parse(value)
    var pickingDate by remember { mutableStateOf(false) }
    var pickedDate by remember { mutableStateOf<LocalDate?>(null) }

    OutlinedButton(onClick = { pickingDate = true }, enabled = enabled, modifier = modifier) {
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
            Icon(Icons.Filled.DateRange, contentDescription = null, modifier = Modifier.size(18.dp))
            Text(if (value.isEmpty()) label else value.replace('T', ' '))
        }
    }

    if (pickingDate) {
        // The date picker speaks UTC midnights; the date itself is what matters here.
        val dates =
            rememberDatePickerState(
                initialSelectedDateMillis = (current?.toLocalDate() ?: LocalDate.now()).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
            )
        DatePickerDialog(
            onDismissRequest = { pickingDate = false },
            confirmButton = {
                TextButton(
                    onClick = {
                        pickingDate = false
                        pickedDate = dates.selectedDateMillis?.let { Instant.ofEpochMilli(it).atZone(ZoneOffset.UTC).toLocalDate() }
                    },
                ) { Text(confirm) }
            },
            dismissButton = { TextButton(onClick = { pickingDate = false }) { Text(dismiss) } },
        ) {
            DatePicker(state = dates)
        }
    }

    val date = pickedDate
    if (date != null) {
        val time = current?.toLocalTime() ?: LocalTime.of(9, 0)
        val clock = rememberTimePickerState(initialHour = time.hour, initialMinute = time.minute)
        AlertDialog(
            onDismissRequest = { pickedDate = null },
            confirmButton = {
                TextButton(
                    onClick = {
                        pickedDate = null
                        onValueChange(LocalDateTime.of(date, LocalTime.of(clock.hour, clock.minute)).format(FORMAT))
                    },
                ) { Text(confirm) }
            },
            dismissButton = { TextButton(onClick = { pickedDate = null }) { Text(dismiss) } },
            text = { TimePicker(state = clock) },
        )
    }
}

private val FORMAT: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")

private fun parse(value: String): LocalDateTime? =
    try {
        LocalDateTime.parse(value, FORMAT)
    } catch (e: DateTimeParseException) {
        null
    }
