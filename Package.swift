// swift-tools-version:6.0
import PackageDescription
import Foundation

let package = Package(
    name: "genwindow",
    products: [
        .executable(name: "genwindow", targets: ["genwindow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: System libraries (found through pkg-config; shims wrap C macros)
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        // No pkgConfig: SwiftPM refuses ncursesw's -D_XOPEN_SOURCE flags with a warning on every build; the shim
        // defines what the wide-character API needs and the module map links the library.
        .systemLibrary(name: "CNCursesW"),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .target(name: "CCPUFeatures"),
        // Vectorized element-wise kernels: optimized even in debug builds, no fused multiply–adds (bit-identical
        // results on every vector unit), no errno from sqrtf (so it vectorizes).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off", "-fno-math-errno"])]),
        // The Inception forward pass's element-wise loops (im2col, shift + ReLU, pools, resize): optimized in debug
        // builds too, no fused multiply–adds.
        .target(name: "CInceptionKernels", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: Pure libraries
        .target(name: "NumericCore", dependencies: ["CBLAS", "CLAPACKE", "CCPUFeatures", "CKernels"]),
        .target(name: "RunFormat"),
        .target(name: "Phases", dependencies: ["RunFormat"]),
        .target(name: "Workspace", dependencies: ["RunFormat"]),
        .target(name: "RandomFeatures", dependencies: ["NumericCore"]),
        .target(name: "Metrics", dependencies: ["NumericCore", "RunFormat", "CKernels"]),
        .target(name: "TerminalUI"),
        .target(name: "Dashboard", dependencies: ["TerminalUI", "RunFormat", "Phases", "Workspace"]),
        .target(name: "Diffusion", dependencies: ["NumericCore", "CKernels"]),
        .target(name: "Inception", dependencies: ["NumericCore", "CInceptionKernels"]),

        // MARK: Effects
        .target(name: "RunFiles", dependencies: ["RunFormat"]),
        .target(name: "Datasets", dependencies: ["NumericCore", "CZlib", "CPNG"], resources: [.copy("Resources/digits.csv.gz")]),
        .target(name: "Training", dependencies: ["RunFormat", "RunFiles", "NumericCore", "RandomFeatures", "Datasets", "Diffusion", "Metrics", "Inception"]),
        .target(name: "Benchmarks", dependencies: ["NumericCore", "RunFormat", "RunFiles", "RandomFeatures", "Training", "Dashboard", "DashboardDriver", "TerminalUI", "Diffusion", "Inception", "ExternalRuns"]),
        .target(name: "Sweeps", dependencies: ["RunFormat", "RunFiles", "Metrics", "Phases", "NumericCore"]),
        .target(name: "Curses", dependencies: ["CNCursesW", "TerminalUI"]),
        .target(name: "DashboardDriver", dependencies: ["Dashboard", "TerminalUI", "RunFormat", "RunFiles"]),
        .target(name: "PNGFile", dependencies: ["CPNG"]),
        .target(name: "ExternalRuns", dependencies: ["RunFormat", "NumericCore"]),
        .target(name: "RunMeasurement", dependencies: ["ExternalRuns", "Metrics", "Datasets", "NumericCore", "RunFormat", "PNGFile", "Inception"]),
        .target(name: "ExternalWatch", dependencies: ["ExternalRuns", "RunMeasurement", "RunFormat", "RunFiles", "NumericCore"]),

        // MARK: Command line
        .executableTarget(
            name: "genwindow",
            dependencies: [
                "NumericCore", "RunFormat", "RunFiles", "Training", "Benchmarks", "Metrics", "RandomFeatures",
                "Datasets", "Diffusion", "Sweeps", "Phases", "Workspace", "TerminalUI", "Dashboard", "DashboardDriver", "Curses", "PNGFile", "Inception", "ExternalRuns", "ExternalWatch", "RunMeasurement",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["NumericCore", "TerminalUI"], path: "Tests/TestSupport"),
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore", "CKernels", "TestSupport"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CNCursesW", "CPNG"]),
        .testTarget(name: "RunFormatTests", dependencies: ["RunFormat"]),
        .testTarget(name: "WorkspaceTests", dependencies: ["Workspace", "RunFormat"]),
        .testTarget(name: "RunFilesTests", dependencies: ["RunFiles", "RunFormat", "NumericCore"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "RunFormat", "RunFiles"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "Diffusion", "RunFormat"]),
        .testTarget(name: "CommandLineTests", dependencies: ["RunFormat", "RunFiles", "TestSupport", "NumericCore"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Phases", "NumericCore", "CKernels", "RunFormat", "TestSupport", "Datasets"]),
        .testTarget(name: "RandomFeaturesTests", dependencies: ["RandomFeatures", "NumericCore", "Training", "RunFormat", "RunFiles", "Metrics", "TestSupport"],
                    exclude: ["LossSeries"]),
        .testTarget(name: "SweepsTests", dependencies: ["Sweeps", "Phases", "Dashboard", "RunFormat", "RunFiles", "Metrics", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "DashboardDriver", "Phases", "Workspace", "TerminalUI", "RunFormat", "RunFiles", "TestSupport",
                                                        "Benchmarks", "NumericCore"],
                    exclude: ["Golden"]),
        .testTarget(name: "ExportTests", dependencies: ["Dashboard", "PNGFile", "CPNG", "RunFormat", "RunFiles"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "NumericCore", "CPNG"]),
        .testTarget(name: "DiffusionTests", dependencies: ["Diffusion", "Datasets", "Training", "RunFormat", "RunFiles", "NumericCore", "TestSupport"]),
        .testTarget(name: "InceptionTests", dependencies: ["Inception", "NumericCore", "Metrics", "PNGFile", "TestSupport", "Training", "RunFormat", "RunFiles", "Datasets"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ExternalWatchTests", dependencies: ["ExternalWatch", "ExternalRuns", "RunMeasurement", "RunFormat", "RunFiles", "NumericCore", "PNGFile"]),
        .testTarget(name: "ExternalRunsTests", dependencies: ["ExternalRuns", "RunFormat", "NumericCore", "PNGFile"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RunMeasurementTests", dependencies: ["RunMeasurement", "ExternalRuns", "Metrics", "Datasets", "NumericCore",
                                                               "RunFormat", "RunFiles", "PNGFile", "Training", "TestSupport", "Inception"]),
        .testTarget(name: "ReliabilityTests", dependencies: ["Training", "RunFiles", "RunFormat", "NumericCore", "Dashboard", "TerminalUI", "Datasets", "Diffusion", "TestSupport"],
                    exclude: ["Inputs"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets, only with GENWINDOW_FUZZ set (`make fuzz` builds them with -sanitize=fuzzer in .build-fuzz;
// they have no main of their own, so they cannot be part of the normal build).
if ProcessInfo.processInfo.environment["GENWINDOW_FUZZ"] != nil {
    package.targets += [
        .executableTarget(name: "FuzzRunFile", dependencies: ["RunFiles"], path: "Fuzz/RunFile"),
        .executableTarget(name: "FuzzNpy", dependencies: ["NumericCore"], path: "Fuzz/Npy"),
        .executableTarget(name: "FuzzPNG", dependencies: ["Datasets"], path: "Fuzz/PNG"),
        .executableTarget(name: "FuzzTheme", dependencies: ["Dashboard", "TerminalUI"], path: "Fuzz/Theme"),
        .executableTarget(name: "FuzzExternalRuns", dependencies: ["ExternalRuns"], path: "Fuzz/ExternalRuns"),
    ]
}
