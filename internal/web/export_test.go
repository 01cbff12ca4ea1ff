package web

// PageRoute is a row of the UI's route table, for tests over every page.
type PageRoute struct {
	Pattern           string
	Public, Temporary bool
}

// PageRoutes lists the UI's route table.
func PageRoutes() []PageRoute {
	var out []PageRoute
	for _, rt := range (&server{}).table() {
		out = append(out, PageRoute{Pattern: rt.pattern, Public: rt.public, Temporary: rt.temporary})
	}
	return out
}
