import Dashboard
import Foundation
import PNGFile
import Phases
import Testing

/// The phase pane as a PNG: written, read back, its cells in their regions' colours at the right places.
@Suite("Phase diagram image")
struct PhaseImageTests {
    @Test func cellsAreColouredByRegionWhereThePaneDrawsThem() throws {
        let cells = [
            PhaseCell(n: 25, p: 100, region: .memorization), PhaseCell(n: 50, p: 100, region: .generalization),
            PhaseCell(n: 25, p: 200, region: .architectural), PhaseCell(n: 50, p: 200, region: .undetermined),
        ]
        let raster = try #require(PhaseImage.render(cells))
        let path = NSTemporaryDirectory() + "genwindow-phase-\(getpid()).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PNGFile.write(RGBImage(width: raster.width, height: raster.height, pixels: raster.rgb), to: path)
        let image = try PNGFile.read(path)
        #expect(image.width == raster.width && image.height == raster.height)
        #expect(image.width >= 2 * PhaseImage.cellWidth && image.height >= 2 * PhaseImage.cellHeight)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(image.pixels[(3 * (y * image.width + x))..<(3 * (y * image.width + x) + 3)]) }
        func centre(column: Int, row: Int) -> [UInt8] {
            let (x, y) = PhaseImage.cellOrigin(column: column, row: row, rows: 2)
            return pixel(x + PhaseImage.cellWidth / 2, y + PhaseImage.cellHeight / 2)
        }
        func rgb(_ region: PhaseRegion?) -> [UInt8] { let c = PhaseImage.color(of: region); return [c.0, c.1, c.2] }
        // Row 0 (the smallest p) is the bottom row, as in the pane.
        #expect(centre(column: 0, row: 0) == rgb(.memorization))
        #expect(centre(column: 1, row: 0) == rgb(.generalization))
        #expect(centre(column: 0, row: 1) == rgb(.architectural))
        #expect(centre(column: 1, row: 1) == rgb(.undetermined))
        #expect(Set([rgb(.memorization), rgb(.generalization), rgb(.architectural), rgb(.undetermined)]).count == 4)
        let (x0, y0) = PhaseImage.cellOrigin(column: 0, row: 0, rows: 2)
        #expect(centre(column: 0, row: 1) != pixel(x0 - 1, y0 - 1), "a gap separates the cells")
        // Labels: some pixels below the grid are lit (the n labels).
        let below = (y0 + PhaseImage.cellHeight + 2)..<image.height
        #expect(below.contains { y in (0..<image.width).contains { pixel($0, y)[0] > 150 && pixel($0, y)[1] > 150 && pixel($0, y)[2] > 150 } })
    }

    @Test func noCellsNoImage() {
        #expect(PhaseImage.render([]) == nil)
    }

    @Test func theFontDrawsWhatItKnowsAndAQuestionMarkOtherwise() {
        var lit = 0
        BitmapFont.draw("1.6k", x: 0, y: 0, scale: 1) { _, _ in lit += 1 }
        #expect(lit > 0)
        var unknown: [[Int]] = [], question: [[Int]] = []
        BitmapFont.draw("#", x: 0, y: 0, scale: 1) { unknown.append([$0, $1]) }
        BitmapFont.draw("?", x: 0, y: 0, scale: 1) { question.append([$0, $1]) }
        #expect(unknown == question)
        #expect(BitmapFont.width("ab", scale: 2) == 22)
    }
}
