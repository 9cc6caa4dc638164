package litmos

import "time"

// SetNow sets the clock k's CreateBulk reads the age of its usernames by.
func SetNow(k *Connector, now func() time.Time) { k.now = now }
