import NumericCore

extension DatasetLoader {
    /// Every image of a PNG folder (`png:DIR`: subfolders and all, sorted path order) as rows of grey intensities
    /// in [0, 1], with their shape [side, side]: a training set given as the folder it was trained on, rather than
    /// the subset `load` draws from it.
    public static func folderImages(path: String, size: Int? = nil, skipBad: Bool = false) throws -> (rows: Matrix<Float>, shape: [Int]) {
        let pool = try PNGFolder.load(directory: path, size: size, skipBad: skipBad)
        return (pool.pixels, pool.shape)
    }
}
