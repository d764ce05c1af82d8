import RunMeasurement

/// genwindow's measurer of sample dumps is what `SampleMeasurements` runs.
extension DumpMeasurer: DumpMeasuring {}
