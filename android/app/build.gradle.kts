import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

/** The Cargo workspace this Gradle build sits in. */
val workspace: File = rootDir.parentFile
val jniLibs: File = layout.projectDirectory.dir("src/main/jniLibs").asFile

/** Where the app finds the server: `-Prounds.serverUrl=...`, else gradle.properties. */
val serverUrl: String = providers.gradleProperty("rounds.serverUrl").getOrElse("http://10.0.2.2:8080")

android {
    namespace = "app.rounds"
    compileSdk = 35

    defaultConfig {
        applicationId = "app.rounds"
        // java.nio.file and java.time, which the core module's file store and clock use.
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        buildConfigField("String", "SERVER_URL", "\"$serverUrl\"")
    }

    buildTypes {
        release {
            // R8 would strip the JNA interfaces uniffi calls through; keep rules come first.
            isMinifyEnabled = false
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

// The core for the phone: libshared.so per ABI, which uniffi's bindings load by the name
// "shared" (JNA maps it to libshared.so in the app's native library folder). Needs cargo-ndk,
// the NDK (ANDROID_NDK_HOME, or the one Android Studio's SDK Manager installs) and the Rust
// targets aarch64-linux-android and x86_64-linux-android; docs/native.md.
val buildCore by tasks.registering(Exec::class) {
    group = "build"
    description = "Builds the Rust core for arm64-v8a and x86_64 into src/main/jniLibs (cargo-ndk)."
    workingDir = workspace
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a",
        "-t", "x86_64",
        "-o", jniLibs.path,
        "build", "-p", "shared", "--features", "uniffi", "--release",
    )
    inputs.files(workspace.resolve("Cargo.toml"), workspace.resolve("Cargo.lock"))
    for (crate in listOf("shared", "domain", "dispatch", "vrptw")) {
        inputs.dir(workspace.resolve("$crate/src"))
        inputs.file(workspace.resolve("$crate/Cargo.toml"))
    }
    outputs.dir(jniLibs)
}

tasks.named("preBuild") {
    dependsOn(buildCore)
}

dependencies {
    // :core takes JNA's jar for the JVM; on Android the aar brings the same classes with
    // libjnidispatch.so for each ABI, and the jar must not come along beside it.
    implementation(project(":core")) {
        exclude(group = "net.java.dev.jna", module = "jna")
    }
    implementation(libs.jna) {
        artifact {
            type = "aar"
        }
    }
    implementation(libs.kotlinx.coroutines.android)

    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)

    implementation(platform(libs.androidx.compose.bom))
    implementation(libs.androidx.compose.ui)
    implementation(libs.androidx.compose.foundation)
    implementation(libs.androidx.compose.material3)
    implementation(libs.androidx.compose.ui.tooling.preview)
    debugImplementation(libs.androidx.compose.ui.tooling)
}
