lint - --no-notes
