import RunFormat

/// The state used to measure rendering cost: a replay of `points` training steps with train and test loss at
/// every step (smoothed at 0.6), an evaluation every 1000 steps, τ_gen, τ_mem, a mark and a samples record of
/// eight 28×28 image pairs — the worst case the dashboard must draw at 20 frames per second.
public enum RenderBenchmark {
    public static func makeState(points: Int, width: Int = 200, height: Int = 60) -> DashboardState {
        var state = DashboardState(mode: .replay, width: width, height: height)
        state.fold(.header(RunHeader(created: "2026-11-23T00:00:00Z", model: "rf",
                                     config: ["n": 1000, "p": 4000, "data": "gmm", "steps": .number(Double(points))])))
        var batch: [RunRecord] = []
        batch.reserveCapacity(4096)
        for i in 1...max(points, 1) {
            let t = Double(i)
            var values: [(String, Double?)] = [(MetricName.trainLoss, 1 / t.squareRoot() + 0.01 * Double(i % 7)),
                                               (MetricName.testLoss, 0.3 + 0.1 * abs(t.squareRoot() / 300 - 1))]
            if i % 1000 == 0 {
                values += [(MetricName.memFrac, min(t / Double(points), 1)), (MetricName.memFracCILow, 0), (MetricName.memFracCIHigh, 1),
                           (MetricName.fid, 10 / t.squareRoot() + t / Double(points))]
            }
            batch.append(.metrics(MetricsRecord(step: i, timeSeconds: t / 1000, values: values)))
            if batch.count == 4096 {
                state.fold(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        state.fold(batch)
        state.fold([.event(EventRecord(kind: EventKind.tauGen, step: points / 100 + 1)), .event(EventRecord(kind: EventKind.tauMem, step: points / 4 + 1)),
                    .mark(MarkRecord(step: points / 2, label: "stop"))])
        let image = { (k: Int) -> JSONValue in .array((0..<784).map { .number(Double(($0 * 31 + k * 7) % 256)) }) }
        state.fold(.other(type: "samples", fields: [
            "step": .number(Double(points)), "shape": [28, 28],
            "samples": .array((0..<8).map(image)), "neighbours": .array((8..<16).map(image)),
            "ratios": .array((0..<8).map { .number(Double($0) / 8) }),
        ]))
        return state
    }
}
