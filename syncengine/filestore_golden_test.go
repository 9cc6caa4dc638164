package syncengine

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// The version 2 format is stable: this workload writes exactly the files
// in testdata/filestore-v2 (a compacted snapshot, its journal, the mark).
// A change here is a format change: it needs a new version and a reader
// of the old one. Run with -update only when that is what you mean.
func TestFileStoreFormatGolden(t *testing.T) {
	dir := t.TempDir()
	s := storeOpenFile(t, dir, storeIDs(), FileStoreCompactAfter(12))
	storeWorkload(t, 0, 30, s)
	s.Close()
	golden := filepath.Join("testdata", "filestore-v2")
	for _, name := range []string{"a-%3Eb.json", "a-%3Eb.journal", "a-%3Eb.mark"} {
		got := storeRead(t, filepath.Join(dir, name))
		path := filepath.Join(golden, name)
		if *updateGolden {
			if err := os.MkdirAll(golden, 0o755); err != nil {
				t.Fatal(err)
			}
			storeWriteFile(t, path, got)
			continue
		}
		if want := storeRead(t, path); !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: the file format changed\ngot:\n%s\nwant:\n%s", name, path, got, want)
		}
	}
	// And the golden files read back as the workload's state.
	mem := NewMemoryStore()
	storeWorkload(t, 0, 30, mem)
	copied := t.TempDir()
	for _, name := range []string{"a-%3Eb.json", "a-%3Eb.journal", "a-%3Eb.mark"} {
		storeWriteFile(t, filepath.Join(copied, name), storeRead(t, filepath.Join(golden, name)))
	}
	storeDiff(t, "golden files", storeDump(t, mem, storePair), storeDump(t, storeOpenFile(t, copied), storePair))
}
