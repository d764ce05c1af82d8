import ArgumentParser
import Dashboard
import Foundation
import PNGFile
import Phases
import RunFiles
import RunFormat
import Sweeps

/// `genwindow phase DIR`: the n-versus-p phase diagram of a sweep folder.
struct PhaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase",
        abstract: "Turn a sweep folder into the n-versus-p phase diagram: tau_gen, tau_mem and the region of each cell.",
        discussion: """
        Reads every run file (*.jsonl) in DIR; n comes from the header config's "n", p from its "p" (RF) or \
        "width" (DDPM). Regions, in this order: unfinished (no `end` record with reason completed); memorization \
        (the last mem_frac is above --mem-threshold; for runs without mem_frac, tau_mem was reached and the test \
        loss rose); architectural_regularization (training converged — the train loss moved less than \
        --convergence-tolerance over the second half of the run — the test loss never rose more than \
        --rise-tolerance above its minimum, and mem_frac never exceeded the threshold); generalization (tau_gen reached, tau_mem not reached \
        within the budget); undetermined (anything else). Times are the events' "tau" values (the step when an \
        event has none); of several events of a kind the last final one counts (provisional ones only in runs \
        that have not ended). Also fits tau_mem = slope·n + intercept (with a 95% interval on the slope) per group of runs that differ only in n.

        --json writes {"thresholds":{…}, "cells":[{n,p,tau_gen,tau_mem,window,region,final_mem_frac,final_fid, \
        tau_gen_reached,tau_mem_reached,end_step,run}], "fits":[{p,slope,intercept,r2,points,group,slope_ci95,weighted}], \
        "seed_cells":[{n,p,group,runs,tau_gen_mean,tau_gen_sd,tau_gen_runs,tau_mem_mean,tau_mem_sd,tau_mem_runs}]}. Runs of one \
        group at one (n, p) are seeds of one cell: their times are listed as mean ± sd, and where a group has seeds its \
        fit is on each n's mean tau_mem weighted by the inverse variance of that mean (weighted: true). A time not \
        reached within the budget is null with tau_gen_reached/tau_mem_reached false; other unavailable values \
        are null.

        --png FILE also writes the diagram as the dashboard's phase pane draws it: one cell per (n, p) in its \
        region's colour (memorization red, generalization green, architectural regularization blue, others grey), \
        n along the bottom, p (or width) up the side.
        """
    )

    @Argument(help: "A sweep folder (or any folder of run files).")
    var directory: String

    @Flag(help: "Write JSON instead of the text table.")
    var json = false

    @Option(help: "Also write the diagram as a PNG image to this file.")
    var png: String?

    @Option(parsing: .unconditional, help: "A run memorizes when its last mem_frac is above this.")
    var memThreshold: Double = PhaseThresholds().memFrac

    @Option(parsing: .unconditional, help: "The test loss counts as rising when it goes this fraction above its minimum.")
    var riseTolerance: Double = PhaseThresholds().testLossRise

    @Option(parsing: .unconditional, help: "Training counts as converged when the train loss moved less than this fraction over the second half of the run.")
    var convergenceTolerance: Double = PhaseThresholds().convergence

    func validate() throws {
        guard memThreshold >= 0 && memThreshold < 1 else { throw ValidationError("--mem-threshold must be in [0, 1), got \(memThreshold)") }
        guard riseTolerance >= 0 && riseTolerance <= 100 else { throw ValidationError("--rise-tolerance must be in [0, 100], got \(riseTolerance)") }
        guard convergenceTolerance >= 0 && convergenceTolerance <= 100 else {
            throw ValidationError("--convergence-tolerance must be in [0, 100], got \(convergenceTolerance)")
        }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RuntimeError("\(directory) is not a folder")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }.sorted()
        var summaries: [CellSummary] = []
        for name in names {
            let path = WorkerInvocation.join(directory, name)
            do {
                let log = try RunReader.read(path: path, malformed: .skip)
                summaries.append(try CellSummary(log: log, name: name))
            } catch {
                writeStandardError("genwindow: skipping \(path): \(error)\n")
            }
        }
        guard !summaries.isEmpty else { throw RuntimeError("no readable run files in \(directory)") }
        let diagram = PhaseDiagram(summaries: summaries, thresholds: PhaseThresholds(memFrac: memThreshold, testLossRise: riseTolerance,
                                                                             convergence: convergenceTolerance))
        print(json ? JSONWriter.string(.object(diagram.json)) : diagram.text, terminator: json ? "\n" : "")
        if let png { try writeImage(diagram, to: png) }
    }

    /// The diagram as the phase pane's image (`PhaseImage`), its vertical axis named as the runs name their size.
    private func writeImage(_ diagram: PhaseDiagram, to path: String) throws {
        let cells = diagram.cells.map { Dashboard.PhaseCell(n: $0.summary.n, p: $0.summary.p, region: $0.region) }
        let sizeName = diagram.cells.contains { $0.summary.group.contains(" width=") } ? "width" : "p"
        guard let raster = PhaseImage.render(cells, sizeName: sizeName) else { return }
        try OutputPath.createParents(of: path)
        try PNGFile.write(RGBImage(width: raster.width, height: raster.height, pixels: raster.rgb), to: path)
    }
}
