package runner

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rostersync/rostersync/syncengine"
)

// reportFile is where a run's CSV report goes. It is made sure of before
// the run writes anything: the file is created up front (a temp file
// beside the path, renamed onto it at the end), so a run never applies
// changes and then finds it cannot write their report.
type reportFile struct {
	path   string   // the path shown; "-" for stdout
	tmp    *os.File // nil for stdout
	rename bool     // tmp is renamed onto path when done
	stdout io.Writer
}

// openReport checks path (-report) and creates its temp file. An empty
// path makes a new file in dir named after the program.
func openReport(path, dir, name string, stdout io.Writer) (*reportFile, error) {
	switch path {
	case "-":
		return &reportFile{path: "-", stdout: stdout}, nil
	case "":
		// A new file every run, mode 0600 (names and emails), never one
		// another user planted in a shared temp directory.
		f, err := os.CreateTemp(dir, name+"-report-"+time.Now().UTC().Format("20060102T150405Z")+"-*.csv")
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		return &reportFile{path: f.Name(), tmp: f}, nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, Usagef("-report %s is a directory: give a file path", path)
	}
	d := filepath.Dir(path)
	if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
		return nil, Usagef("-report %s: the directory %s does not exist", path, d)
	}
	f, err := os.CreateTemp(d, "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return nil, Usagef("-report %s: cannot write in %s: %w", path, d, errors.Unwrap(err))
	}
	return &reportFile{path: path, tmp: f, rename: true}, nil
}

// commit writes rep and returns where it went.
func (f *reportFile) commit(rep *syncengine.Report) (string, error) {
	if f.tmp == nil {
		return "stdout", rep.WriteCSV(f.stdout)
	}
	werr := rep.WriteCSV(f.tmp)
	if err := errors.Join(werr, f.tmp.Close()); err != nil {
		_ = os.Remove(f.tmp.Name())
		return "", fmt.Errorf("report: %w", err)
	}
	if f.rename {
		if err := os.Rename(f.tmp.Name(), f.path); err != nil {
			_ = os.Remove(f.tmp.Name())
			return "", fmt.Errorf("report: %w", err)
		}
	}
	f.tmp = nil
	return f.path, nil
}

// abort removes the temp file of a report that will not be written.
func (f *reportFile) abort() {
	if f == nil || f.tmp == nil {
		return
	}
	_ = f.tmp.Close()
	_ = os.Remove(f.tmp.Name())
	f.tmp = nil
}
