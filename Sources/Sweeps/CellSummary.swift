import Phases
import RunFiles
import RunFormat

extension CellSummary {
    /// The summary of a run file (see `CellTally`); a header without an integer "n", or without "p" or
    /// "width", is an error naming the file.
    public init(log: RunLog, name: String) throws(SweepError) {
        let config = log.header.config
        guard config["n"]?.int != nil else { throw SweepError("\(log.path): the header config has no integer \"n\"") }
        guard (config["p"] ?? config["width"])?.int != nil else {
            throw SweepError("\(log.path): the header config has no integer \"p\" or \"width\"")
        }
        self.init(records: [.header(log.header)] + log.records, name: name)!
    }
}
