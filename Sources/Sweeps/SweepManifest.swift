import RunFormat

/// What a sweep trains: the model, the grid, and the train options every cell shares. Two sweeps with the same
/// config write the same run files, so a folder holds exactly one config.
public struct SweepConfig: Equatable, Sendable {
    /// `genwindow train --model` value ("rf", "ddpm", …).
    public var model: String
    /// The train option that takes the cell's p: "p" for RF (random features), "width" for DDPM.
    public var sizeOption: String
    public var grid: SweepGrid
    /// Train options passed through unchanged to every cell, in command-line order.
    public var trainArguments: [String]

    public init(model: String, sizeOption: String, grid: SweepGrid, trainArguments: [String]) {
        self.model = model
        self.sizeOption = sizeOption
        self.grid = grid
        self.trainArguments = trainArguments
    }

    /// The train option that receives `p` for a model.
    public static func sizeOption(forModel model: String) -> String {
        model == "rf" ? "p" : "width"
    }

    /// The first difference from `other`, in words, or nil when the configs are equal.
    public func difference(from other: SweepConfig) -> String? {
        if model != other.model { return "model \(other.model) vs \(model)" }
        if sizeOption != other.sizeOption { return "size option --\(other.sizeOption) vs --\(sizeOption)" }
        if grid.n != other.grid.n { return "n \(other.grid.n) vs \(grid.n)" }
        if grid.p != other.grid.p { return "p \(other.grid.p) vs \(grid.p)" }
        if grid.seed != other.grid.seed { return "seed \(other.grid.seed) vs \(grid.seed)" }
        if trainArguments != other.trainArguments {
            return "train options '\(other.trainArguments.joined(separator: " "))' vs '\(trainArguments.joined(separator: " "))'"
        }
        return nil
    }
}

/// Where a cell stands, as far as the sweep coordinator knows. The run file is the authority: a cell counts as
/// finished only when its run file ends with `completed`, `early_stop` or `diverged`.
public enum CellStatus: String, Sendable, CaseIterable {
    case pending
    case running
    case completed
    /// The run ended by its own `--stop-when` rule: as finished as a completed one.
    case earlyStop = "early_stop"
    case diverged
    /// The worker exited without an `end` record, or with an error.
    case failed
    /// Stopped by Ctrl-C/SIGTERM; rerunning the sweep restarts it.
    case interrupted
    /// Part of a submitted Slurm job array; the array task writes the run file.
    case submitted

    /// Whether rerunning the sweep leaves the cell alone.
    public var isFinished: Bool { self == .completed || self == .earlyStop || self == .diverged }
}

/// One cell's line in the manifest.
public struct CellEntry: Equatable, Sendable {
    public var cell: SweepCell
    public var status: CellStatus
    /// "exit 1", "signal 9", … for the last worker that ran the cell, if it failed.
    public var failure: String?
    /// Wall-clock seconds of the last finished attempt.
    public var seconds: Double?
    /// How many times a worker was started for the cell.
    public var attempts: Int

    public init(cell: SweepCell, status: CellStatus = .pending, failure: String? = nil, seconds: Double? = nil, attempts: Int = 0) {
        self.cell = cell
        self.status = status
        self.failure = failure
        self.seconds = seconds
        self.attempts = attempts
    }
}

/// `DIR/sweep.json`: the grid, the shared config, the seeds, and the status of each cell.
public struct SweepManifest: Equatable, Sendable {
    public static let format = "genwindow-sweep"
    public static let version = 1
    public static let fileName = "sweep.json"

    public var config: SweepConfig
    public var cells: [CellEntry]
    /// The Slurm job id of the last submitted array, if any.
    public var slurmJob: String?

    public init(config: SweepConfig, cells: [CellEntry]? = nil, slurmJob: String? = nil) {
        self.config = config
        self.cells = cells ?? config.grid.cells.map { CellEntry(cell: $0) }
        self.slurmJob = slurmJob
    }

    public func entry(named name: String) -> CellEntry? { cells.first { $0.cell.name == name } }

    public mutating func update(_ name: String, _ change: (inout CellEntry) -> Void) {
        if let i = cells.firstIndex(where: { $0.cell.name == name }) { change(&cells[i]) }
    }

    public func count(_ status: CellStatus) -> Int { cells.reduce(0) { $0 + ($1.status == status ? 1 : 0) } }

    // MARK: JSON

    public var json: JSONObject {
        var o = JSONObject()
        o["format"] = .string(Self.format)
        o["version"] = .number(Double(Self.version))
        o["model"] = .string(config.model)
        o["size_option"] = .string(config.sizeOption)
        o["grid"] = ["n": .array(config.grid.n.map { .number(Double($0)) }),
                     "p": .array(config.grid.p.map { .number(Double($0)) })]
        o["seed"] = .string(String(config.grid.seed))
        o["train_arguments"] = .array(config.trainArguments.map { .string($0) })
        if let slurmJob { o["slurm_job"] = .string(slurmJob) }
        o["cells"] = .array(cells.map { e in
            var c = JSONObject()
            c["name"] = .string(e.cell.name)
            c["n"] = .number(Double(e.cell.n))
            c["p"] = .number(Double(e.cell.p))
            c["seed"] = .string(String(e.cell.seed))
            c["run"] = .string(e.cell.runFileName)
            c["status"] = .string(e.status.rawValue)
            c["attempts"] = .number(Double(e.attempts))
            if let s = e.seconds { c["seconds"] = .number(s) }
            if let f = e.failure { c["failure"] = .string(f) }
            return .object(c)
        })
        return o
    }

    /// Pretty enough for a human (one cell per line), still one JSON document.
    public var text: String {
        let o = json
        var out = "{\n"
        for (k, (key, value)) in o.pairs.enumerated() {
            out += "  " + JSONWriter.string(.string(key)) + ": "
            if key == "cells", let items = value.array {
                out += "[\n" + items.map { "    " + JSONWriter.string($0) }.joined(separator: ",\n") + "\n  ]"
            } else {
                out += JSONWriter.string(value)
            }
            out += k + 1 < o.count ? ",\n" : "\n"
        }
        return out + "}\n"
    }

    public init(parsing text: String, path: String) throws(SweepError) {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw SweepError("\(path): not valid JSON (\(error))") }
        guard let o = value.object, o["format"]?.string == Self.format else {
            throw SweepError("\(path): not a genwindow sweep manifest")
        }
        guard o["version"]?.int == Self.version else {
            throw SweepError("\(path): manifest version \(o["version"].map { JSONWriter.string($0) } ?? "missing") is not supported (expected \(Self.version))")
        }
        func bad(_ what: String) -> SweepError { SweepError("\(path): malformed manifest (\(what))") }
        guard let model = o["model"]?.string, let sizeOption = o["size_option"]?.string,
              let grid = o["grid"]?.object, let ns = grid["n"]?.array?.compactMap(\.int),
              let ps = grid["p"]?.array?.compactMap(\.int),
              let seedText = o["seed"]?.string, let seed = UInt64(seedText),
              let argsValue = o["train_arguments"]?.array, let cellsValue = o["cells"]?.array
        else { throw bad("missing model, size_option, grid, seed, train_arguments or cells") }
        let args = argsValue.compactMap(\.string)
        guard args.count == argsValue.count else { throw bad("train_arguments must be strings") }
        var entries: [CellEntry] = []
        for item in cellsValue {
            guard let c = item.object, let n = c["n"]?.int, let p = c["p"]?.int,
                  let cellSeed = c["seed"]?.string.flatMap({ UInt64($0) }),
                  let status = c["status"]?.string.flatMap({ CellStatus(rawValue: $0) })
            else { throw bad("a cell needs n, p, seed and a known status") }
            entries.append(CellEntry(cell: SweepCell(n: n, p: p, seed: cellSeed), status: status,
                                     failure: c["failure"]?.string, seconds: c["seconds"]?.double,
                                     attempts: c["attempts"]?.int ?? 0))
        }
        self.init(config: SweepConfig(model: model, sizeOption: sizeOption, grid: SweepGrid(n: ns, p: ps, seed: seed),
                                      trainArguments: args),
                  cells: entries, slurmJob: o["slurm_job"]?.string)
    }
}
