// Package cputime reads the process's CPU time, for benchmarks that
// report it (b.ReportMetric) beside ns/op: on a shared, loaded machine the
// process's CPU time is steadier than wall time.
package cputime

import "time"

// Process is the CPU time the process has used so far, user and system,
// all threads (GC included); 0 where it is not measured (not unix).
func Process() time.Duration { return process() }
