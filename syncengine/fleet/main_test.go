package fleet_test

import (
	"os"
	"testing"

	"github.com/rostersync/rostersync/internal/tempdircheck"
)

// TestMain runs an instance of the multi-instance test when the parent
// test started this binary as one (envInstance), and the tests otherwise,
// failing the run when a test leaves something in the temporary directory.
func TestMain(m *testing.M) {
	if os.Getenv(envInstance) != "" {
		os.Exit(instanceMain())
	}
	tempdircheck.Main(m)
}
