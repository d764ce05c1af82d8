import Dashboard
import Phases
import Foundation
import RunFiles
import RunFormat
@testable import Sweeps
import Testing

/// Hand-built run files with known time scales.
struct RunFileBuilder {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "genwindow-phase-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Writes `name` with `test_loss` values at steps 100, 200, …, the given events (step, tau) and an end. The
    /// train loss by default flattens out by the middle of the run (converged).
    @discardableResult
    func write(_ name: String, n: Int, p: Int, sizeKey: String = "p", testLoss: [Double], trainLoss: [Double]? = nil,
               memFrac: [Double]? = nil,
               fid: [Double]? = nil, tauGen: (Int, Double)? = nil, tauMem: (Int, Double)? = nil,
               provisionalTauMem: (Int, Double)? = nil, end: EndReason? = .completed) throws -> String {
        let path = directory + "/" + name
        let header = RunHeader(created: "2026-01-01T00:00:00Z", model: sizeKey == "p" ? "rf" : "ddpm",
                               config: ["n": .number(Double(n)), .init(sizeKey): .number(Double(p)), "seed": 0])
        let writer = try RunWriter(creating: path, header: header)
        for (i, loss) in testLoss.enumerated() {
            let step = 100 * (i + 1)
            let train = trainLoss?[i] ?? max(0.4, 0.8 - 0.3 * Double(i))
            var values: [(String, Double?)] = [("tau", Double(step) / 10), ("train_loss", train), ("test_loss", loss)]
            if let memFrac { values.append(("mem_frac", memFrac[i])) }
            if let fid { values.append(("fid", fid[i])) }
            try writer.append(.metrics(MetricsRecord(step: step, timeSeconds: Double(i), values: values)))
        }
        if let (step, tau) = provisionalTauMem {
            try writer.append(.event(EventRecord(kind: "tau_mem", step: step, fields: ["tau": .number(tau), "provisional": true])))
        }
        if let (step, tau) = tauGen {
            try writer.append(.event(EventRecord(kind: "tau_gen", step: step, fields: ["tau": .number(tau), "provisional": false])))
        }
        if let (step, tau) = tauMem {
            try writer.append(.event(EventRecord(kind: "tau_mem", step: step, fields: ["tau": .number(tau), "provisional": false])))
        }
        if let end { try writer.append(.end(EndRecord(step: 100 * testLoss.count, reason: end))) }
        try writer.close()
        return path
    }

    func summary(_ name: String) throws -> CellSummary {
        try CellSummary(log: RunReader.read(path: directory + "/" + name), name: name)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

@Suite("phase diagram")
struct PhaseDiagramTests {
    let falling = [0.9, 0.6, 0.5, 0.45, 0.44]
    let risingLate = [0.9, 0.6, 0.5, 0.52, 0.6]

    @Test("a run that stopped itself early is classified like a completed one, not as unfinished")
    func earlyStoppedRunsAreClassified() throws {
        let b = try RunFileBuilder()
        defer { b.remove() }
        try b.write("stopped.jsonl", n: 25, p: 1600, testLoss: risingLate, tauGen: (200, 20), tauMem: (400, 40), end: .earlyStop)
        try b.write("window.jsonl", n: 100, p: 1600, testLoss: [0.9, 0.6, 0.5, 0.55, 0.6], tauGen: (200, 20), end: .earlyStop)
        let regions = try ["stopped", "window"].map { PhaseClassifier.region(of: try b.summary($0 + ".jsonl"), thresholds: PhaseThresholds()) }
        #expect(regions == [.memorization, .generalization])
    }

    @Test("each region from hand-built RF runs with known tau values")
    func rfRegions() throws {
        let b = try RunFileBuilder()
        defer { b.remove() }
        // n ≪ p: the window closed within the budget.
        try b.write("mem.jsonl", n: 25, p: 1600, testLoss: risingLate, tauGen: (200, 20), tauMem: (400, 40))
        // tau_gen reached, tau_mem beyond the budget: a window.
        try b.write("gen.jsonl", n: 100, p: 1600, testLoss: [0.9, 0.6, 0.5, 0.55, 0.6], tauGen: (200, 20))
        // n > p: the test loss never rises; a tau_mem event without a rise is not memorization.
        try b.write("arch.jsonl", n: 400, p: 50, testLoss: falling, tauGen: (200, 20), tauMem: (500, 50))
        // The budget ended before tau_gen.
        try b.write("early.jsonl", n: 100, p: 800, testLoss: [0.9, 0.8, 0.7, 0.75, 0.8])
        try b.write("cut.jsonl", n: 50, p: 800, testLoss: falling, tauGen: (200, 20), end: .interrupted)
        // The test loss has not risen yet but training is still moving: a window, not architectural regularization.
        try b.write("open.jsonl", n: 400, p: 1600, testLoss: falling, trainLoss: [0.8, 0.6, 0.5, 0.45, 0.4], tauGen: (200, 20))
        let names = ["mem", "gen", "arch", "early", "cut", "open"]
        let summaries = try names.map { try b.summary($0 + ".jsonl") }
        let t = PhaseThresholds()
        #expect(summaries.map { PhaseClassifier.region(of: $0, thresholds: t) }
            == [.memorization, .generalization, .architectural, .undetermined, .unfinished, .generalization])
        // Train loss 0.5 at step 300 (the first at or past the middle of 500 steps), 0.4 at the end: it moved 25%.
        #expect(abs(summaries[5].trainLossChange! - 0.25) < 1e-12)
        #expect(summaries[2].trainLossChange == 0)
        #expect(PhaseClassifier.region(of: summaries[5], thresholds: PhaseThresholds(convergence: 0.3)) == .architectural)
        #expect(summaries[0].tauGen == Timescale(step: 200, tau: 20))
        #expect(summaries[0].tauMem == Timescale(step: 400, tau: 40))
        #expect(abs(summaries[0].testLossRise! - 0.2) < 1e-12)
        // The window cell's test loss rose 20% above its minimum: a tolerance above that reads it as never rising.
        #expect(PhaseClassifier.region(of: summaries[1], thresholds: PhaseThresholds(testLossRise: 0.19)) == .generalization)
        #expect(PhaseClassifier.region(of: summaries[1], thresholds: PhaseThresholds(testLossRise: 0.25)) == .architectural)
    }

    @Test("DDPM cells: the last mem_frac against the threshold decides memorization")
    func ddpmRegions() throws {
        let b = try RunFileBuilder()
        defer { b.remove() }
        try b.write("a.jsonl", n: 64, p: 32, sizeKey: "width", testLoss: risingLate, memFrac: [0, 0, 0.1, 0.4, 0.8],
                    fid: [90, 40, 30, 31, 33], tauGen: (200, 200), tauMem: (300, 300))
        try b.write("b.jsonl", n: 512, p: 32, sizeKey: "width", testLoss: risingLate, memFrac: [0, 0, 0, 0, 0.005],
                    fid: [90, 40, 30, 29, 28], tauGen: (300, 300))
        try b.write("c.jsonl", n: 4096, p: 32, sizeKey: "width", testLoss: falling, memFrac: [0, 0, 0, 0, 0],
                    tauGen: (300, 300))
        let s = try ["a", "b", "c"].map { try b.summary($0 + ".jsonl") }
        #expect(s.map { PhaseClassifier.region(of: $0, thresholds: PhaseThresholds()) } == [.memorization, .generalization, .architectural])
        #expect(s[0].p == 32 && s[0].finalMemFrac == 0.8 && s[0].maxMemFrac == 0.8 && s[0].finalFID == 33)
        #expect(PhaseClassifier.region(of: s[1], thresholds: PhaseThresholds(memFrac: 0.001)) == .memorization)
    }

    @Test("the final event of a kind counts; a provisional one only while the run has not ended")
    func provisional() throws {
        let b = try RunFileBuilder()
        defer { b.remove() }
        try b.write("x.jsonl", n: 10, p: 100, testLoss: risingLate, tauGen: (100, 10), tauMem: (400, 40), provisionalTauMem: (300, 30))
        try b.write("y.jsonl", n: 10, p: 100, testLoss: risingLate, tauGen: (100, 10), provisionalTauMem: (300, 30))
        try b.write("z.jsonl", n: 10, p: 100, testLoss: risingLate, tauGen: (100, 10), provisionalTauMem: (300, 30), end: nil)
        #expect(try b.summary("x.jsonl").tauMem == Timescale(step: 400, tau: 40))
        // Ended with only a provisional tau_mem (the detector never saw its maximum): not reached, a window.
        let y = try b.summary("y.jsonl")
        #expect(y.tauMem == nil && PhaseClassifier.region(of: y, thresholds: PhaseThresholds()) == .generalization)
        let z = try b.summary("z.jsonl")
        #expect(z.tauMem == Timescale(step: 300, tau: 30, provisional: true))
        #expect(PhaseClassifier.region(of: z, thresholds: PhaseThresholds()) == .unfinished)
    }

    @Test("tau_mem against n per p: exact line, its R², and unavailable fits as null")
    func fits() throws {
        let b = try RunFileBuilder()
        defer { b.remove() }
        // p = 1600: tau_mem = 0.5·n + 3 exactly; p = 800: a single point; p = 200: three noisy points.
        for n in [25, 50, 100] {
            try b.write("n\(n)-p1600.jsonl", n: n, p: 1600, testLoss: risingLate, tauGen: (100, 10), tauMem: (500, 0.5 * Double(n) + 3))
        }
        try b.write("n25-p800.jsonl", n: 25, p: 800, testLoss: risingLate, tauGen: (100, 10), tauMem: (500, 9))
        for (n, tau) in [(10, 1.0), (20, 3.0), (30, 2.0)] {
            try b.write("n\(n)-p200.jsonl", n: n, p: 200, testLoss: risingLate, tauGen: (100, 10), tauMem: (500, tau))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: b.directory).sorted()
        let diagram = PhaseDiagram(summaries: try names.map { try b.summary($0) }, thresholds: PhaseThresholds())
        #expect(diagram.fits.map(\.p) == [200, 800, 1600])
        let f1600 = diagram.fits[2]
        #expect(abs(f1600.slope! - 0.5) < 1e-12 && abs(f1600.intercept! - 3) < 1e-9 && abs(f1600.r2! - 1) < 1e-12)
        #expect(diagram.fits[1].points == 1 && diagram.fits[1].slope == nil && diagram.fits[1].intercept == nil && diagram.fits[1].r2 == nil)
        // y = 1, 3, 2 at x = 10, 20, 30: slope 0.05, intercept 1, R² = 0.25.
        let f200 = diagram.fits[0]
        #expect(abs(f200.slope! - 0.05) < 1e-12 && abs(f200.intercept! - 1) < 1e-12 && abs(f200.r2! - 0.25) < 1e-12)

        let json = diagram.json
        let fits = json["fits"]!.array!
        #expect(fits[1].object!.keys == ["p", "slope", "intercept", "r2", "points", "group", "slope_ci95", "weighted"])
        #expect(fits[1].object!["slope_ci95"] == .null)
        #expect(fits[1].object!["slope"] == .null && fits[1].object!["r2"] == .null)
        #expect(diagram.text.contains("thresholds: memorization when the last mem_frac > 0.01"))
    }

    @Test("JSON cells: stable keys, null and a false flag for a time not reached")
    func json() throws {
        let b = try RunFileBuilder()
        defer { b.remove() }
        try b.write("n100-p1600.jsonl", n: 100, p: 1600, testLoss: [0.9, 0.6, 0.5, 0.55, 0.6], tauGen: (200, 20))
        let diagram = PhaseDiagram(summaries: [try b.summary("n100-p1600.jsonl")], thresholds: PhaseThresholds())
        let text = JSONWriter.string(.object(diagram.json))
        let cell = try JSONParser.parse(text).object!["cells"]!.array![0].object!
        #expect(Array(cell.keys.prefix(7)) == ["n", "p", "tau_gen", "tau_mem", "region", "final_mem_frac", "final_fid"])
        #expect(cell["n"] == 100 && cell["p"] == 1600 && cell["tau_gen"] == 20)
        #expect(cell["tau_mem"] == .null && cell["tau_mem_reached"] == false && cell["tau_gen_reached"] == true)
        #expect(cell["region"] == "generalization" && cell["final_mem_frac"] == .null && cell["final_fid"] == .null)
        #expect(diagram.text.contains("not reached"))
    }
}

@Suite("generalization window of a cell")
struct WindowTests {
    static func cell(n: Int, gen: Int?, mem: Int?, end: Int = 10_000) -> CellSummary {
        CellSummary(name: "n\(n).jsonl", n: n, p: 256, endReason: .completed, endStep: end,
                    tauGen: gen.map { Timescale(step: $0, tau: Double($0)) }, tauMem: mem.map { Timescale(step: $0, tau: Double($0)) },
                    finalMemFrac: mem == nil ? 0 : 0.3, maxMemFrac: nil, finalFID: 3, testLossRise: nil, trainLossChange: nil)
    }

    @Test func memorizingBeforeTheSamplesAreGoodLeavesNoWindow() throws {
        #expect(Self.cell(n: 32, gen: 5012, mem: 3981).window == .absent)
        #expect(Self.cell(n: 32, gen: 5012, mem: 5012).window == .absent)
        #expect(Self.cell(n: 128, gen: 5012, mem: 7943).window == .yes)
        #expect(Self.cell(n: 512, gen: 5012, mem: nil).window == .open)
        #expect(Self.cell(n: 512, gen: nil, mem: nil).window == nil)
        let diagram = PhaseDiagram(summaries: [Self.cell(n: 32, gen: 5012, mem: 3981), Self.cell(n: 128, gen: 5012, mem: 7943)],
                                   thresholds: PhaseThresholds())
        #expect(diagram.text.contains("none (tau_mem ≤ tau_gen)"))
        #expect(diagram.text.contains("no generalization window"))
        let cells = try #require(diagram.json["cells"]?.array)
        #expect(cells.map { $0.object?["window"]?.string } == ["none", "yes"])
        #expect(Self.cell(n: 32, gen: 5012, mem: 3981).windowDescription
                == "no window: tau_mem at step 3981 came before tau_gen at step 5012 (the model memorizes before its samples are good)")
        #expect(Self.cell(n: 128, gen: 5012, mem: 7943).windowDescription
                == "tau_gen at step 5012, tau_mem at step 7943: generalization window [5012, 7943)")
        #expect(Self.cell(n: 512, gen: 5012, mem: nil).windowDescription?.hasSuffix("the window is still open") == true)
        #expect(Self.cell(n: 512, gen: nil, mem: nil).windowDescription == nil)
    }
}

/// The dashboard's phase pane and `genwindow phase` sort every run the same way (one classifier).
@Suite("phase pane and phase command agree")
struct PhasePaneAgreementTests {
    static let sampleSweeps = ["sweep-rf", "ddpm", "rf"].map {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sample-runs/" + $0).path
    }

    @Test(arguments: sampleSweeps)
    func everyRecordedRunGetsTheSameRegion(folder: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(!names.isEmpty)
        var summaries: [CellSummary] = []
        var shown: [String: PhaseRegion?] = [:]
        for name in names {
            let log = try RunReader.read(path: folder + "/" + name, malformed: .skip)
            summaries.append(try CellSummary(log: log, name: name))
            var state = DashboardState(mode: .replay)
            state.fold([.header(log.header)] + log.records)
            let own = try #require(state.ownPhaseCell)
            #expect(!own.soFar)
            shown[name] = own.cell.region
        }
        for cell in PhaseDiagram(summaries: summaries, thresholds: PhaseThresholds()).cells {
            #expect(shown[cell.summary.name] == cell.region, "\(folder)/\(cell.summary.name)")
        }
    }
}

/// tau_mem against n is fitted per group of runs that differ only in n, with a 95% interval on the slope.
@Suite("tau_mem fits per group")
struct GroupFitTests {
    static func run(n: Int, tauMem: Int, labels: String) -> CellSummary {
        var records: [RunRecord] = [.header(RunHeader(created: "", model: "ddpm",
                                                      config: ["n": .number(Double(n)), "width": 256, "data": "digits", "labels": .string(labels), "seed": 0]))]
        records.append(.metrics(MetricsRecord(step: tauMem, timeSeconds: 1, values: [("mem_frac", 0.3)])))
        records.append(.event(EventRecord(kind: "tau_gen", step: 100, fields: ["provisional": false])))
        records.append(.event(EventRecord(kind: "tau_mem", step: tauMem, fields: ["provisional": false])))
        records.append(.end(EndRecord(step: 100_000, reason: .completed)))
        return CellSummary(records: records, name: "n\(n)-\(labels).jsonl")!
    }

    @Test func randomLabelsAreNotPooledWithUnconditionalRuns() throws {
        // The recorded digits runs' tau_mem (steps): unconditional n = 32, 64, 128, 256; random labels n = 64, 128.
        let runs = [(32, 3981), (64, 3981), (128, 7943), (256, 19953)].map { Self.run(n: $0.0, tauMem: $0.1, labels: "none") }
            + [(64, 3981), (128, 5012)].map { Self.run(n: $0.0, tauMem: $0.1, labels: "random") }
        let diagram = PhaseDiagram(summaries: runs, thresholds: PhaseThresholds())
        #expect(diagram.fits.count == 2)
        let plain = try #require(diagram.fits.first { $0.group.contains("labels=none") })
        // Least squares and its 95% interval (t with 2 degrees of freedom = 4.303), as NumPy computes them.
        #expect(abs(plain.slope! - 74.86032608695653) < 1e-9)
        let ci = try #require(plain.slopeCI95)
        #expect(abs(ci.lowerBound - 29.7281141188585) < 1e-6 && abs(ci.upperBound - 119.99253805505457) < 1e-6)
        let random = try #require(diagram.fits.first { $0.group.contains("labels=random") })
        #expect(random.points == 2 && random.slopeCI95 == nil)
        #expect(diagram.text.contains("labels=random"), "rows must show their group:\n\(diagram.text)")
        let json = try #require(diagram.json["fits"]?.array)
        #expect(json.allSatisfy { $0.object?["group"]?.string?.hasPrefix("ddpm data=digits") == true })
    }

    @Test func tQuantilesMatchTheTable() {
        #expect(PhaseDiagram.studentT975(degreesOfFreedom: 1) == 12.706)
        #expect(abs(PhaseDiagram.studentT975(degreesOfFreedom: 40) - 2.0211) < 1e-3)
        #expect(abs(PhaseDiagram.studentT975(degreesOfFreedom: 120) - 1.9799) < 1e-3)
    }
}

/// Seeds in `phase`: each cell's tau_mem with its spread, and the fit on the per-n means weighted by it.
@Suite("seeds in the phase diagram")
struct SeedGroupPhaseTests {
    static func run(n: Int, seed: Int, tauMem: Double) -> CellSummary {
        CellSummary(name: "n\(n)-s\(seed).jsonl", n: n, p: 256, endReason: .completed, endStep: 100_000,
                    tauGen: Timescale(step: 500, tau: 500), tauMem: Timescale(step: Int(tauMem), tau: tauMem),
                    finalMemFrac: 0.4, maxMemFrac: 0.4, finalFID: 3, testLossRise: nil, trainLossChange: nil, group: "ddpm width=256")
    }

    static func diagram(_ runs: [(Int, [Double])]) -> PhaseDiagram {
        PhaseDiagram(summaries: runs.flatMap { n, taus in taus.enumerated().map { run(n: n, seed: $0.offset, tauMem: $0.element) } },
                     thresholds: PhaseThresholds())
    }

    @Test func cellsCarryTheirSpread() throws {
        let d = Self.diagram([(32, [1000, 1200, 1400]), (64, [2000, 2600]), (128, [4100])])
        #expect(d.seedCells.map(\.n) == [32, 64, 128] && d.seedCells.map(\.runs) == [3, 2, 1])
        let first = try #require(d.seedCells.first?.tauMem)
        #expect(first.mean == 1200 && abs(first.sd! - 200) < 1e-9 && first.count == 3)
        #expect(d.seedCells[2].tauMem?.sd == nil)
        let fit = try #require(d.fits.first)
        #expect(fit.weighted && fit.points == 6 && fit.slopeCI95 != nil)
        let json = d.json
        #expect(json["fits"]?.array?.first?.object?["weighted"] == .bool(true))
        let cell = try #require(json["seed_cells"]?.array?.first?.object)
        #expect(cell["tau_mem_mean"] == .number(1200) && cell["runs"] == .number(3) && cell["tau_mem_runs"] == .number(3))
        #expect(d.text.contains("1200 ± 200 (3)"))
    }

    @Test func equalSpreadsGiveTheFitOnTheMeans() throws {
        // Same relative spread at every n and the same number of seeds: weights k/s² ∝ 1/mean², here equal
        // spreads in absolute terms make the weights equal and the fit the plain one on the means.
        let d = Self.diagram([(32, [900, 1100]), (64, [1900, 2100]), (128, [4300, 4500])])
        let fit = try #require(d.fits.first)
        let plain = PhaseDiagram.fit(p: 256, group: "g", points: [(32, 1000), (64, 2000), (128, 4400)])
        #expect(abs(fit.slope! - plain.slope!) < 1e-9 && abs(fit.intercept! - plain.intercept!) < 1e-6)
    }

    @Test func aNoisyCellPullsLessThanAPreciseOne() throws {
        let base = [(32, [1000.0, 1010]), (64, [2000.0, 2010]), (128, [4000.0, 4010])]
        func slope(_ runs: [(Int, [Double])]) throws -> Double { try #require(Self.diagram(runs).fits.first?.slope) }
        let reference = try slope(base)
        // Move n = 128's mean by +800: once with seeds that agree (precise), once with seeds far apart (noisy).
        let precise = try slope([base[0], base[1], (128, [4800, 4810])])
        let noisy = try slope([base[0], base[1], (128, [3800, 5810])])
        #expect(abs(noisy - reference) < abs(precise - reference) / 5, "precise \(precise), noisy \(noisy), reference \(reference)")
    }
}
