/// Settings of the Slurm job array that runs a sweep.
public struct SlurmOptions: Equatable, Sendable {
    public var partition: String?
    /// Wall-clock limit per array task, in Slurm's syntax ("30", "1:00:00", "2-00:00:00").
    public var time: String?
    /// CPUs per array task; each task's BLAS uses that many threads.
    public var cpusPerTask: Int
    public var jobName: String

    public init(partition: String? = nil, time: String? = nil, cpusPerTask: Int = 1, jobName: String = "genwindow-sweep") {
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.jobName = jobName
    }
}

/// `DIR/sweep.sbatch`: a job-array script, one array task per cell, each running `genwindow train --headless` for
/// its cell into the shared folder. Paths should be absolute: tasks start in Slurm's working directory.
public enum SlurmScript {
    public static let fileName = "sweep.sbatch"

    public static func render(cells: [SweepCell], config: SweepConfig, directory: String, executable: String,
                              options: SlurmOptions) -> String {
        render(tasks: cells.map { ($0.name, WorkerInvocation.arguments(for: $0, config: config, directory: directory)) },
               what: "sweep of \(config.model)", directory: directory, executable: executable, options: options)
    }

    /// A job array with one task per (name, train arguments) pair.
    public static func render(tasks: [(name: String, arguments: [String])], what: String, directory: String,
                              executable: String, options: SlurmOptions, fileName: String = fileName) -> String {
        var s = "#!/bin/bash\n"
        s += "# genwindow \(what): \(tasks.count) run(s), one Slurm array task each.\n"
        s += "# Written by genwindow; submit with: sbatch \(quote(WorkerInvocation.join(directory, fileName)))\n"
        s += "#SBATCH --job-name=\(options.jobName)\n"
        s += "#SBATCH --array=0-\(max(0, tasks.count - 1))\n"
        s += "#SBATCH --ntasks=1\n"
        s += "#SBATCH --cpus-per-task=\(options.cpusPerTask)\n"
        if let partition = options.partition { s += "#SBATCH --partition=\(partition)\n" }
        if let time = options.time { s += "#SBATCH --time=\(time)\n" }
        s += "#SBATCH --output=\(WorkerInvocation.join(directory, "slurm-%A_%a.out"))\n"
        s += "set -euo pipefail\n"
        s += "export OPENBLAS_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-\(options.cpusPerTask)}\"\n"
        s += "case \"${SLURM_ARRAY_TASK_ID:?not running as a Slurm array task}\" in\n"
        for (i, task) in tasks.enumerated() {
            let argv = [executable] + task.arguments
            s += "  \(i)) # \(task.name)\n"
            s += "    exec " + argv.map(quote).joined(separator: " ") + " ;;\n"
        }
        s += "  *) echo \"no run for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\n"
        s += "esac\n"
        return s
    }

    /// The job id from `sbatch --parsable` output ("1234" or "1234;cluster").
    public static func jobID(fromParsable output: String) -> String? {
        let first = output.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let id = first.split(separator: ";").first.map(String.init) ?? ""
        return !id.isEmpty && id.allSatisfy(\.isNumber) ? id : nil
    }

    /// A word for bash: left bare when it is plainly safe, single-quoted otherwise.
    public static func quote(_ word: String) -> String {
        let safe = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./=:,+@%".unicodeScalars.contains($0)
        }
        if safe { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
