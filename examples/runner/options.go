package runner

// OptionIf returns a client option made by with from the environment
// variable name, when it is set, else none: a client's optional settings,
// as in talenthr.New(key, runner.OptionIf(env, "TALENTHR_BASE_URL",
// talenthr.WithBaseURL)...).
func OptionIf[O any](env Env, name string, with func(string) O) []O {
	if v := env.Get(name); v != "" {
		return []O{with(v)}
	}
	return nil
}
