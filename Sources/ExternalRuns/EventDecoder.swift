/// Turns the records of a TensorBoard run's event files into scalars and images, as TensorBoard's
/// `EventAccumulator` reads them: `simple_value` scalars, one-element numeric tensors of the "scalars" plugin (or
/// of no plugin), image summaries, and a `SessionLog START` at step s purging every record so far at steps ≥ s.
public struct EventDecoder {
    public var log = ScalarLog()
    /// Per tag id: 0 no plugin seen yet, 1 "scalars", 2 another plugin (its tensors are not scalars).
    private var plugin: [UInt8] = []
    /// Purges done so far (a purge that removed something voids what a follower passed on).
    public private(set) var purges = 0
    /// Records that are not valid events (each reported once by the source, with its file and offset).
    public private(set) var malformed: [(file: String, offset: Int)] = []

    public init() {}

    /// Reads one event record (the data of a TFRecord record).
    public mutating func consume(_ b: UnsafeRawBufferPointer, file: String, offset: Int) {
        guard let event = EventFields.decode(b) else {
            malformed.append((file, offset))
            return
        }
        let step = Int(truncatingIfNeeded: event.step)
        if event.sessionStatus == EventFields.sessionStart {
            let before = log.count + log.images.count
            log.purge(from: step)
            if log.count + log.images.count != before { purges += 1 }
        }
        guard let summary = event.summary else { return }
        let ok = SummaryValueFields.forEach(in: b, summary: summary) { v in
            guard let tagRange = v.tag else { return }
            if let x = v.simpleValue {
                log.append(step: step, wallTime: event.wallTime, tag: log.tags.id(b, tagRange), value: Double(x))
            } else if let t = v.tensor {
                let tag = log.tags.id(b, tagRange)
                while plugin.count <= Int(tag) { plugin.append(0) }
                if let name = v.pluginName, plugin[Int(tag)] == 0 {
                    plugin[Int(tag)] = ProtoReader.string(in: b, name) == "scalars" ? 1 : 2
                }
                if plugin[Int(tag)] != 2, let x = TensorScalar.value(b, t) {
                    log.append(step: step, wallTime: event.wallTime, tag: tag, value: x)
                }
            } else if let i = v.image, let image = ImageFields.decode(b, i) {
                log.appendImage(ImageEntry(
                    tag: ProtoReader.string(in: b, tagRange), step: step, wallTime: event.wallTime,
                    height: image.height, width: image.width, colorspace: image.colorspace,
                    png: Array(UnsafeRawBufferPointer(rebasing: b[image.encoded]))))
            }
        }
        if !ok { malformed.append((file, offset)) }
    }

    /// Forgets everything read (the run's files are read again from the start), keeping tag ids.
    public mutating func reset() {
        log.removeAll()
        plugin.removeAll()
        malformed.removeAll()
        purges += 1
    }
}
