package runner

import (
	"encoding/csv"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CSVRows reads a fake company kept as CSV in the program (go:embed): one
// map per row, by the header's names. The file is part of the binary, so
// an error in it is a bug: it panics, naming the file.
func CSVRows(name, data string) []map[string]string {
	rows, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil || len(rows) == 0 {
		panic(name + ": not a CSV file with a header: " + fmt.Sprint(err))
	}
	out := make([]map[string]string, len(rows)-1)
	for i, row := range rows[1:] {
		out[i] = make(map[string]string, len(row))
		for j, v := range row {
			out[i][rows[0][j]] = v
		}
	}
	return out
}

// InstanceName keeps an id (a service user's, a tenant's) to the
// characters a state directory's name may hold, the others replaced by
// '_', for syncengine.Config.Instance.
func InstanceName(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, id)
}

// FixtureDate reads a fake company's date: YYYY-MM-DD as it is, or a
// number of days from today when signed ("+14", "-45"); anything else,
// the empty string included, is returned as it is.
func FixtureDate(s string, today time.Time) string {
	if n, err := strconv.Atoi(s); err == nil && (strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-")) {
		return today.AddDate(0, 0, n).Format(time.DateOnly)
	}
	return s
}

// EmployeesFlag registers -employees N for a program's fakes: the size of
// the fake company, cast (the default) at least, 100,000 at most. The
// function it returns reads the value once the flags are parsed, with a
// usage error when it is out of range.
func EmployeesFlag(fs *flag.FlagSet, cast int) func() (int, error) {
	n := fs.Int("employees", cast, "`N` employees in the fake company (fakes only)")
	return func() (int, error) {
		if *n < cast || *n > 100000 {
			return 0, Usagef("-employees: %d is out of range [%d, 100000]", *n, cast)
		}
		return *n, nil
	}
}

// LeaveLast gives f its -fake-leavers: the last n of ids leave, each by
// leave, when the run asks for n of them.
func LeaveLast[ID any](f *Fake, ids []ID, leave func(id ID)) {
	f.Leavers = len(ids)
	f.Leave = func(n int) {
		for _, id := range ids[len(ids)-n:] {
			leave(id)
		}
	}
}
