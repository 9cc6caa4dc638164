package syncengine

// FileStoreExclLocker makes a file store lock with O_EXCL lock files, as
// it does where flock(2) is missing, so the contract runs with both locks.
func FileStoreExclLocker() FileStoreOption { return storeExclLocker() }
