package doccheck

import (
	"testing"

	"github.com/rostersync/rostersync/internal/tempdircheck"
)

func TestMain(m *testing.M) { tempdircheck.Main(m) }
