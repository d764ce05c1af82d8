import NumericCore

/// Saves an RF readout A (d×p, float32) as a `.npy` file, atomically (see `AtomicFile`), so a reader never sees
/// a partial checkpoint.
enum RFCheckpoint {
    static func save(_ a: Matrix<Float>, to path: String) throws {
        try AtomicFile.write(NpyArray(a).encode(), to: path)
    }
}

