package app.rounds.core

/**
 * Just enough JSON for the tests' own calls to the server (no JSON library reaches this
 * machine, and the app never parses JSON: the core does). Objects are maps, arrays lists,
 * numbers doubles.
 */
object Json {
    fun parse(text: String): Any? =
        Parser(text).run {
            val value = value()
            space()
            check(at == text.length) { "trailing JSON at $at" }
            value
        }

    /** [value] as JSON text. */
    fun write(value: Any?): String =
        when (value) {
            null -> "null"
            is String -> "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
            is Number, is Boolean -> value.toString()
            is Map<*, *> ->
                value.entries.joinToString(",", "{", "}") { write(it.key.toString()) + ":" + write(it.value) }
            is List<*> -> value.joinToString(",", "[", "]") { write(it) }
            else -> error("not JSON: $value")
        }

    private class Parser(
        val s: String,
    ) {
        var at = 0

        fun space() {
            while (at < s.length && s[at].isWhitespace()) at++
        }

        fun value(): Any? {
            space()
            return when (s[at]) {
                '{' -> obj()
                '[' -> array()
                '"' -> string()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> number()
            }
        }

        fun obj(): Map<String, Any?> {
            val out = LinkedHashMap<String, Any?>()
            at++
            space()
            if (s[at] == '}') return out.also { at++ }
            while (true) {
                space()
                val key = string()
                space()
                expect(':')
                out[key] = value()
                space()
                if (s[at++] == '}') return out
            }
        }

        fun array(): List<Any?> {
            val out = mutableListOf<Any?>()
            at++
            space()
            if (s[at] == ']') return out.also { at++ }
            while (true) {
                out += value()
                space()
                if (s[at++] == ']') return out
            }
        }

        fun string(): String {
            expect('"')
            val out = StringBuilder()
            while (s[at] != '"') {
                val c = s[at++]
                if (c != '\\') {
                    out.append(c)
                    continue
                }
                when (val e = s[at++]) {
                    'n' -> out.append('\n')
                    't' -> out.append('\t')
                    'r' -> out.append('\r')
                    'b' -> out.append('\b')
                    'f' -> out.append('\u000c')
                    'u' -> out.append(s.substring(at, at + 4).toInt(16).toChar()).also { at += 4 }
                    else -> out.append(e)
                }
            }
            at++
            return out.toString()
        }

        fun number(): Double {
            val start = at
            while (at < s.length && s[at] in "+-0123456789.eE") at++
            return s.substring(start, at).toDouble()
        }

        fun literal(
            word: String,
            value: Any?,
        ): Any? {
            check(s.startsWith(word, at)) { "bad JSON at $at" }
            at += word.length
            return value
        }

        fun expect(c: Char) {
            check(s[at++] == c) { "expected $c at ${at - 1}" }
        }
    }
}
