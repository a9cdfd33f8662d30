using WeatherGinr.Benchmarks.Ingest;

return IngestBenchmark.Run(BenchmarkOptions.Parse(args));
