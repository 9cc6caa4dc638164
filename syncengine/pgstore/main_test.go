package pgstore

import (
	"testing"

	"github.com/rostersync/rostersync/internal/tempdircheck"
)

// TestMain fails the run when a test leaves something in the temporary
// directory.
func TestMain(m *testing.M) { tempdircheck.Main(m) }
