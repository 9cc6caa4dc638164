package runner

import (
	"encoding/csv"
	"fmt"
	"strings"
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
