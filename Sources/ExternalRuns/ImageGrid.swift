/// Splits an image grid as torch's `add_images` tiles a batch (`make_grid`: 8 images per row, or the batch size
/// when smaller; no padding; empty cells of the last row black) back into its images, given the size of one.
public enum ImageGrid {
    /// The tiles of a grid of `width` × `height` pixels with `channels` interleaved bytes each, row-major, each
    /// tile `tileHeight × tileWidth × channels` bytes. `count` (the batch size, if known) drops the empty cells.
    public static func split(_ pixels: [UInt8], width: Int, height: Int, channels: Int, tileWidth: Int, tileHeight: Int,
                             count: Int? = nil) throws(ExternalRunError) -> [[UInt8]] {
        guard width > 0, height > 0, channels > 0, pixels.count == width * height * channels else {
            throw ExternalRunError("image grid: \(pixels.count) bytes do not make \(width)×\(height) pixels of \(channels) channels")
        }
        guard tileWidth > 0, tileHeight > 0, width % tileWidth == 0, height % tileHeight == 0 else {
            throw ExternalRunError("image grid: \(width)×\(height) is not a whole number of \(tileWidth)×\(tileHeight) images")
        }
        let columns = width / tileWidth
        let cells = columns * (height / tileHeight)
        let n = count ?? cells
        guard n <= cells, n > cells - columns || count == nil else {
            throw ExternalRunError("image grid: \(cells) cells of \(tileWidth)×\(tileHeight) cannot hold \(n) images in rows of \(columns)")
        }
        let rowBytes = tileWidth * channels
        return (0..<n).map { k in
            let x0 = (k % columns) * tileWidth
            let y0 = (k / columns) * tileHeight
            var tile = [UInt8]()
            tile.reserveCapacity(tileHeight * rowBytes)
            for y in y0..<y0 + tileHeight {
                let start = (y * width + x0) * channels
                tile.append(contentsOf: pixels[start..<start + rowBytes])
            }
            return tile
        }
    }
}
