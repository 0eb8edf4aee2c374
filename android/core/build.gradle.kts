import org.jetbrains.kotlin.gradle.dsl.JvmTarget

// The shell's core: the effect loop and one handler per effect, with no android.* import, so
// that it runs on any JVM. Its sources stay where scripts/test-native.sh compiles them with
// kotlinc; the generated types (app.rounds.shared) and uniffi bindings (app.rounds.ffi) are
// a source folder of their own, written by scripts/native-bindings.sh and never committed.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

/** The Cargo workspace this Gradle build sits in. */
val workspace: File = rootDir.parentFile
val cargoTarget: File = System.getenv("CARGO_TARGET_DIR")?.let(::File) ?: workspace.resolve("target")
val generated: File = cargoTarget.resolve("native/kotlin")

java {
    sourceCompatibility = JavaVersion.VERSION_17
    targetCompatibility = JavaVersion.VERSION_17
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
    sourceSets.named("main") {
        kotlin.srcDir(generated)
    }
}

// The generated code changes with the core's events, effects and view model: written again
// before every compilation whose Rust sources changed (a warm run takes about a minute).
val nativeBindings by tasks.registering(Exec::class) {
    group = "build"
    description = "Writes the generated Kotlin types and uniffi bindings (scripts/native-bindings.sh)."
    workingDir = workspace
    commandLine("bash", "scripts/native-bindings.sh")
    inputs.files(workspace.resolve("Cargo.toml"), workspace.resolve("Cargo.lock"))
    for (crate in listOf("shared", "domain", "dispatch", "vrptw")) {
        inputs.dir(workspace.resolve("$crate/src"))
        inputs.file(workspace.resolve("$crate/Cargo.toml"))
    }
    outputs.dir(generated)
}

tasks.named("compileKotlin") {
    dependsOn(nativeBindings)
}

// The JVM tests run the host build of the core (target/debug/libshared.so, written by
// nativeBindings) against the real server, as scripts/test-native.sh does.
val hostServer by tasks.registering(Exec::class) {
    group = "verification"
    description = "Builds the server the JVM tests start (cargo build -p server)."
    workingDir = workspace
    commandLine("cargo", "build", "-p", "server", "--bin", "server")
}

tasks.named<Test>("test") {
    dependsOn(hostServer)
    workingDir = workspace
    systemProperty("jna.library.path", cargoTarget.resolve("debug").path)
    systemProperty("rounds.server", cargoTarget.resolve("debug/server").path)
}

dependencies {
    implementation(libs.jna)
    implementation(libs.kotlinx.coroutines.core)
    testImplementation(libs.junit)
}
