"""Publishing: exports in every RDF syntax and tables, dataset description, pushing to remote stores."""
