import Sweeps
import Testing

@Suite("Slurm job-array script")
struct SlurmScriptTests {
    let config = SweepConfig(model: "rf", sizeOption: "p", grid: SweepGrid(n: [25, 50], p: [100, 200], seed: 4),
                             trainArguments: ["--steps", "300", "--data", "my data"])

    @Test("one array task per cell, each exec'ing genwindow train for its cell into the shared folder")
    func content() {
        let cells = config.grid.cells
        let script = SlurmScript.render(cells: cells, config: config, directory: "/shared/sweep", executable: "/opt/bin/genwindow",
                                        options: SlurmOptions(partition: "cpu", time: "1:00:00", cpusPerTask: 4))
        let lines = script.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        #expect(lines.contains("#SBATCH --array=0-3"))
        #expect(lines.contains("#SBATCH --cpus-per-task=4"))
        #expect(lines.contains("#SBATCH --partition=cpu"))
        #expect(lines.contains("#SBATCH --time=1:00:00"))
        #expect(lines.contains("#SBATCH --output=/shared/sweep/slurm-%A_%a.out"))
        #expect(lines.contains("export OPENBLAS_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-4}\""))
        #expect(lines.contains("  2) # n25-p200"))
        #expect(lines.contains(
            "    exec /opt/bin/genwindow train --headless --model rf --n 25 --p 200 --seed 4 --out /shared/sweep/n25-p200.jsonl --force --steps 300 --data 'my data' ;;"))
        #expect(lines.filter { $0.hasPrefix("    exec ") }.count == 4)
        // Every #SBATCH line precedes the first command, or sbatch ignores it.
        let lastDirective = lines.lastIndex { $0.hasPrefix("#SBATCH") }!
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") }!
        #expect(lastDirective < firstCommand)
    }

    @Test("no partition or time lines unless asked; an index per remaining cell only")
    func minimal() {
        let script = SlurmScript.render(cells: [config.grid.cells[3]], config: config, directory: "/d", executable: "/g",
                                        options: SlurmOptions())
        #expect(!script.contains("--partition") && !script.contains("--time"))
        #expect(script.contains("#SBATCH --array=0-0\n"))
        #expect(script.contains("  0) # n50-p200\n"))
    }

    @Test("words are quoted for bash")
    func quoting() {
        #expect(SlurmScript.quote("--lr") == "--lr")
        #expect(SlurmScript.quote("a b") == "'a b'")
        #expect(SlurmScript.quote("it's") == "'it'\\''s'")
        #expect(SlurmScript.quote("") == "''")
        #expect(SlurmScript.quote("$HOME") == "'$HOME'")
    }

    @Test("job id from sbatch --parsable")
    func jobID() {
        #expect(SlurmScript.jobID(fromParsable: "1234\n") == "1234")
        #expect(SlurmScript.jobID(fromParsable: "77;cluster\n") == "77")
        #expect(SlurmScript.jobID(fromParsable: "sbatch: error\n") == nil)
    }
}
