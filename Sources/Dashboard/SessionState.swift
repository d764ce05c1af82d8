import RunFormat
import TerminalUI
import Workspace

/// A dashboard session as a pure state machine: `update(_:)` takes one `SessionEvent` and returns the effects
/// the host performs; `frame(now:)` gives the frame to present, at most as often as `FrameScheduler` allows.
/// It holds every run its sources reported (one `RunData` each), shows one of them with the view settings that
/// stay when the run shown changes, and keeps the timers for polling sources and re-reading the sweep folder.
public struct SessionState: Sendable {
    /// The run shown, with the view settings.
    public private(set) var screen: DashboardState
    /// Every run reported so far, sorted by path.
    public private(set) var runs: [RunKey] = []
    /// The run on screen: the first one a source reported, until the user switches (or a live job starts the
    /// next run).
    public private(set) var shown: RunKey?
    /// The data of the runs not on screen.
    private var stored: [RunKey: RunData] = [:]
    /// Which source reported each run (marks go to that source's file for it).
    private var owner: [RunKey: Int] = [:]
    /// Each run's header, for the forecast.
    private var headers: [RunKey: RunHeader] = [:]
    /// Labels live jobs gave their runs ("demo 2/12").
    private var labels: [RunKey: String] = [:]
    private var polls: [(interval: Double?, next: Double)]
    private var sweep: SweepSnapshot?
    private let sweepDirectory: String?
    private var nextSweepRead: Double
    private let waiting: String?
    private var scheduler = FrameScheduler()
    /// When each run last had news (for `stalled`).
    private var lastHeard: [RunKey: Double] = [:]
    /// Pinned runs, in pinning order.
    private var pins: [RunKey] = []
    private var filter: RunQuery?
    private let stallAfter: Double
    /// The final events announced so far, per run and kind (each is announced once).
    private var announced: [RunKey: Set<String>] = [:]
    /// Runs whose first news (their history) has been read: events in it are not announced.
    private var caughtUp: Set<RunKey> = []
    /// The clock's latest reading (from `.tick`).
    public private(set) var now: Double
    /// True once the user quit.
    public private(set) var quitting = false

    /// Seconds between re-reads of the sweep folder (runs that ended are read at once).
    public static let sweepInterval = 5.0

    /// A session over sources polled every `pollIntervals[i]` seconds (nil: polled once, at the first tick).
    /// `sweep` fills the phase diagram; with `sweepDirectory` it is read from that folder every
    /// `sweepInterval` seconds and whenever a run ends. `waiting` is shown until the first run is reported.
    public init(screen: DashboardState, pollIntervals: [Double?], sweep: SweepSnapshot? = nil, sweepDirectory: String? = nil,
                waiting: String? = nil, stallAfter: Double = RunStatus.defaultStallAfter, now: Double) {
        self.screen = screen
        self.stallAfter = stallAfter
        self.now = now
        polls = pollIntervals.map { ($0, now) }
        self.sweep = sweep
        self.sweepDirectory = sweepDirectory
        nextSweepRead = now
        self.waiting = waiting
        self.screen.sweep = sweep?.cells ?? []
        if let waiting { self.screen.setStatus(waiting) }
    }

    /// The next time the session has something to do without news (a poll, a re-read, a frame that waits for
    /// its interval); nil: nothing until an event arrives.
    public var deadline: Double? {
        var times = polls.map(\.next).filter(\.isFinite)
        if sweepDirectory != nil { times.append(nextSweepRead) }
        switch scheduler.decide(now: now) {
        case .renderNow: times.append(now)
        case .wait(let until): times.append(until)
        case .idle: break
        }
        return times.min()
    }

    /// The frame to present now, if one is due.
    public mutating func frame(now: Double) -> CellBuffer? {
        guard scheduler.decide(now: now) == .renderNow else { return nil }
        scheduler.didRender(at: now)
        return DashboardView.render(screen, width: screen.width, height: screen.height)
    }

    public mutating func update(_ event: SessionEvent) -> [SessionEffect] {
        switch event {
        case .updates(let source, let updates):
            // A run's first batch of news is its history: nothing in it is announced.
            let history = Set(updates.map(\.run)).subtracting(caughtUp)
            var effects: [SessionEffect] = []
            for u in updates { effects += apply(u, from: source, history: history.contains(u.run)) }
            caughtUp.formUnion(history)
            refreshWorkspace()
            return effects
        case .key(let key):
            scheduler.invalidate()
            if handleWorkspaceKey(key) {
                refreshWorkspace()
                return []
            }
            let effects = translate(DashboardUpdate.update(&screen, .key(key)))
            refreshWorkspace()
            return effects
        case .resize(let width, let height):
            scheduler.invalidate()
            return translate(DashboardUpdate.update(&screen, .resize(width: width, height: height)))
        case .tick(let time):
            now = max(now, time)
            var effects: [SessionEffect] = []
            for i in polls.indices where polls[i].next <= now {
                polls[i].next = now + (polls[i].interval ?? .infinity)
                effects.append(.poll(source: i))
            }
            if let sweepDirectory, nextSweepRead <= now {
                nextSweepRead = now + SessionState.sweepInterval
                effects.append(.readSweep(directory: sweepDirectory))
            }
            if screen.showRuns {
                // A run can go stalled without news.
                let before = screen.workspace.rows
                refreshWorkspace()
                if screen.workspace.rows != before { scheduler.invalidate() }
            }
            for key in runs where screen.mode == .watch && caughtUp.contains(key) {
                guard let d = data(key), d.end == nil, let heard = lastHeard[key], now - heard > stallAfter else { continue }
                effects += announce(FinalEvent(kind: "stalled", step: d.recordSteps.last ?? 0, run: key, value: now - heard))
            }
            return effects
        case .sweepRead(let snapshot):
            guard let snapshot else { return [] }
            sweep = snapshot
            screen.sweep = snapshot.cells
            updateForecast()
            scheduler.invalidate()
            return []
        case .markNotSaved(let step, let message):
            scheduler.invalidate()
            return translate(DashboardUpdate.update(&screen, .markNotSaved(step: step, message: message)))
        case .problem(let message):
            scheduler.invalidate()
            return translate(DashboardUpdate.update(&screen, .problem(message)))
        }
    }

    // MARK: - News from sources

    private mutating func apply(_ update: SourceUpdate, from source: Int, history: Bool) -> [SessionEffect] {
        let key = update.run
        lastHeard[key] = now
        if case .progress = update.change { scheduler.invalidateRoutine() } else { scheduler.invalidate() }
        if case .started(let label) = update.change, shown != key {
            // A live job began its next run: it replaces the one before.
            for old in runs { forget(old) }
            runs = [key]
            shown = key
            owner[key] = source
            if let label { labels[key] = label }
            screen.show(RunData(seriesCapacity: screen.run.seriesCapacity))
            screen.memorizationForecast = nil
        } else if owner[key] == nil {
            owner[key] = source
            runs.insert(key, at: runs.firstIndex { key < $0 } ?? runs.count)
            if shown == nil {
                shown = key
                if waiting != nil { screen.setStatus(nil) }
            } else {
                stored[key] = RunData(seriesCapacity: screen.run.seriesCapacity)
            }
        }
        switch update.change {
        case .header(let h): headers[key] = h
        case .records(let records):
            if let h = records.lazy.compactMap({ r -> RunHeader? in if case .header(let h) = r { h } else { nil } }).last {
                headers[key] = h
            }
        case .restarted, .started:
            headers[key] = nil
            // A replaced file is a new history: what it holds is not announced, what follows is.
            caughtUp.remove(key)
            announced[key] = nil
        default: break
        }
        if key == shown {
            _ = DashboardUpdate.update(&screen, .run(update.change))
        } else {
            stored[key]?.apply(update.change)
        }
        screen.runLabel = label(of: shown)
        if key == shown { updateForecast() }
        var effects = history || screen.mode != .watch ? [] : announcements(update)
        if let sweepDirectory, case .records(let records) = update.change,
           records.contains(where: { if case .end = $0 { true } else { false } }) {
            nextSweepRead = now + SessionState.sweepInterval
            effects.append(.readSweep(directory: sweepDirectory))
        }
        return effects
    }

    /// The final events in news about a run, each announced once. A run that has news again after going silent
    /// can stall again.
    private mutating func announcements(_ update: SourceUpdate) -> [SessionEffect] {
        let key = update.run
        announced[key]?.remove("stalled")
        guard case .records(let records) = update.change else { return [] }
        var effects: [SessionEffect] = []
        for record in records {
            switch record {
            case .event(let e) where FinalEvent.kinds.contains(e.kind) && e.fields["provisional"]?.bool != true:
                let value = e.kind == EventKind.earlyStop ? e.fields[MetricName.fid]?.double : (e.fields[MetricName.tau]?.double ?? Double(e.step))
                effects += announce(FinalEvent(kind: e.kind, step: e.step, run: key, value: value))
            case .end(let e) where e.reason == .diverged:
                effects += announce(FinalEvent(kind: "diverged", step: e.step, run: key, value: data(key)?.series[MetricName.trainLoss]?.values.last))
            case .end(let e) where e.reason == .earlyStop:
                // A run that stopped itself (`--stop-when`) without an early_stop event before its end: its stop.
                effects += announce(FinalEvent(kind: EventKind.earlyStop, step: e.extra["restored_step"]?.int ?? e.step, run: key,
                                               value: e.extra["best_fid"]?.double))
            default: break
            }
        }
        return effects
    }

    private mutating func announce(_ event: FinalEvent) -> [SessionEffect] {
        guard announced[event.run, default: []].insert(event.kind).inserted else { return [] }
        scheduler.invalidate()
        screen.setStatus("\(event.kind) at step \(event.step) in \(event.run.name)" + (event.value.map { " (\(NumberFormat.value($0)))" } ?? ""))
        return [.notify(event)]
    }

    private mutating func forget(_ key: RunKey) {
        pins.removeAll { $0 == key }
        announced[key] = nil
        caughtUp.remove(key)
        lastHeard[key] = nil
        stored[key] = nil
        owner[key] = nil
        headers[key] = nil
        labels[key] = nil
    }

    /// The header's run label: a live job's own label, else "run i/N name" when the session has several runs
    /// (or follows a folder, where more can appear).
    private func label(of key: RunKey?) -> String? {
        guard let key else { return nil }
        if let label = labels[key] { return Sanitize.text(label) }
        guard runs.count > 1 || waiting != nil, let i = runs.firstIndex(of: key) else { return nil }
        return "run \(i + 1)/\(runs.count) " + Sanitize.text(key.name)
    }

    /// The tau_mem forecast for the run on screen, from the other runs of the sweep.
    private mutating func updateForecast() {
        screen.memorizationForecast = shown.flatMap { key in
            headers[key].flatMap { sweep?.forecast(for: $0, excluding: key.name) }
        }
    }

    // MARK: - Effects of keys

    private mutating func translate(_ effects: [DashboardEffect]) -> [SessionEffect] {
        var out: [SessionEffect] = []
        for effect in effects {
            switch effect {
            case .quit:
                quitting = true
                out.append(.quit)
            case .stopTraining: out.append(.training(.stop))
            case .setTrainingPaused(let paused): out.append(.training(.setPaused(paused)))
            case .requestTrainingMark(let label): out.append(.training(.mark(label: label)))
            case .requestTrainingMarkDeletion(let step): out.append(.training(.deleteMark(step: step)))
            case .appendMark(let mark): out += append(.mark(mark), step: mark.step)
            case .appendMarkDeletion(let step): out += append(.event(EventRecord(kind: EventKind.markDeleted, step: step)), step: step)
            case .redraw: out.append(.redraw)
            case .suspend: out.append(.suspend)
            case .switchRun(let delta): switchRun(by: delta)
            }
        }
        return out
    }

    private mutating func append(_ record: RunRecord, step: Int) -> [SessionEffect] {
        guard let key = shown, let source = owner[key] else {
            _ = DashboardUpdate.update(&screen, .markNotSaved(step: step, message: "this run has no file"))
            return []
        }
        return [.append(record, run: key, source: source)]
    }

    /// Shows the run `delta` places after the current one, keeping the view settings.
    private mutating func switchRun(by delta: Int) {
        guard runs.count > 1, let current = shown, let i = runs.firstIndex(of: current) else { return }
        show(runs[((i + delta) % runs.count + runs.count) % runs.count])
    }

    /// Shows run `next`, keeping the view settings.
    private mutating func show(_ next: RunKey) {
        guard let current = shown, next != current else { return }
        stored[current] = screen.run
        screen.show(stored.removeValue(forKey: next) ?? RunData(seriesCapacity: screen.run.seriesCapacity))
        shown = next
        screen.runLabel = label(of: next)
        updateForecast()
    }

    // MARK: - The runs pane

    /// The data of run `key`, shown or not.
    private func data(_ key: RunKey) -> RunData? { key == shown ? screen.run : stored[key] }

    /// Rebuilds the runs pane's rows and the pinned runs' curves from the runs' data.
    private mutating func refreshWorkspace() {
        var view = screen.workspace
        let configs = runs.map { headers[$0]?.config ?? JSONObject() }
        view.settingNames = RunSettings.differing(configs)
        view.total = runs.count
        view.rows = zip(runs, configs).compactMap { key, config in
            guard filter?.matches(name: key.name, settings: config) ?? true, let d = data(key) else { return nil }
            return row(key, d, config, view.settingNames)
        }
        for i in view.rows.indices where pins.contains(view.rows[i].key) {
            view.rows[i].pinColor = WorkspaceView.colorIndex(of: view.rows[i].key.name)
        }
        view.shown = shown
        view.group = seedGroup()
        view.cursor = min(view.cursor, max(view.rows.count - 1, 0))
        view.pinned = pins.filter { $0 != shown }.compactMap { key in
            data(key).map { d in
                PinnedRun(key: key, colorIndex: WorkspaceView.colorIndex(of: key.name),
                          series: d.series.filter { SeriesTable.style(of: $0.key).placement != .auxiliary }, timeline: d.timeline)
            }
        }
        screen.workspace = view
    }

    /// The seed group of the run shown, when bands are on and it has two runs or more.
    private func seedGroup() -> SeedGroupView? {
        guard screen.seedBands != .off, let shown, let header = headers[shown] else { return nil }
        let key = RunSettings.groupKey(model: header.model, config: header.config)
        let members = runs.filter { k in headers[k].map { RunSettings.groupKey(model: $0.model, config: $0.config) == key } ?? false }
            .compactMap { data($0) }
        guard members.count >= 2 else { return nil }
        func finals(_ kind: String) -> GroupStatistic? {
            GroupStatistic(members.compactMap { d in
                d.latestEvent(kind).flatMap { $0.fields["provisional"]?.bool == true ? nil : Double($0.step) }
            })
        }
        return SeedGroupView(members: members.map { $0.series.filter { SeriesTable.style(of: $0.key).placement == .loss } },
                             timelines: members.map(\.timeline), tauGen: finals(EventKind.tauGen), tauMem: finals(EventKind.tauMem))
    }

    private func row(_ key: RunKey, _ d: RunData, _ config: JSONObject, _ settings: [String]) -> WorkspaceRow {
        func latest(_ name: String) -> Double? { d.series[name]?.values.last { $0.isFinite } }
        func final(_ kind: String) -> Int? {
            d.latestEvent(kind).flatMap { $0.fields["provisional"]?.bool == true ? nil : $0.step }
        }
        let status = RunStatus.of(end: d.end?.reason, secondsSinceLastWrite: now - (lastHeard[key] ?? now), stallAfter: stallAfter)
        return WorkspaceRow(key: key, settings: settings.map { RunSettings.text(config[$0]) }, status: status.rawValue,
                            step: d.end?.step ?? d.recordSteps.last, trainLoss: latest(MetricName.trainLoss), testLoss: latest(MetricName.testLoss),
                            memFrac: latest(MetricName.memFrac), fid: latest(MetricName.fid), tauGen: final(EventKind.tauGen), tauMem: final(EventKind.tauMem))
    }

    /// Keys the runs pane takes while it has the focus, and the filter prompt's typing; false: not one of them.
    private mutating func handleWorkspaceKey(_ key: Key) -> Bool {
        if let typed = screen.workspace.filterPrompt {
            switch key {
            case .character(let c): screen.workspace.filterPrompt = typed + Sanitize.text(String(Character(c)))
            case .backspace: screen.workspace.filterPrompt = String(typed.dropLast())
            case .escape, .ctrl("c"): screen.workspace.filterPrompt = nil
            case .enter:
                screen.workspace.filterPrompt = nil
                do {
                    filter = typed.isEmpty ? nil : try RunQuery(typed)
                    screen.workspace.filter = typed
                    screen.setStatus(nil)
                } catch {
                    screen.setStatus("filter: \(error)")
                }
            default: break
            }
            return true
        }
        guard screen.showRuns, screen.focus == .runs, !screen.showHelp, screen.prompt == nil, !screen.showMarks,
              screen.tagList == nil else { return false }
        let rows = screen.workspace.rows
        switch key {
        case .up, .character("k"): screen.workspace.cursor = max(screen.workspace.cursor - 1, 0)
        case .down, .character("j"): screen.workspace.cursor = min(screen.workspace.cursor + 1, max(rows.count - 1, 0))
        case .enter:
            guard screen.workspace.cursor < rows.count else { return true }
            show(rows[screen.workspace.cursor].key)
        case .character(" "):
            guard screen.workspace.cursor < rows.count else { return true }
            let key = rows[screen.workspace.cursor].key
            if let i = pins.firstIndex(of: key) {
                pins.remove(at: i)
            } else if pins.count < WorkspaceView.pinLimit {
                pins.append(key)
            } else {
                screen.setStatus("at most \(WorkspaceView.pinLimit) runs are pinned: unpin one first (Space on it)")
            }
        case .character("/"): screen.workspace.filterPrompt = screen.workspace.filter
        default: return false
        }
        return true
    }
}
