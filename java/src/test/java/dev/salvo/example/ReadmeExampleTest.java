/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.example;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README example compiles (it is this module's test code), runs, and is the text README.md shows.
 */
class ReadmeExampleTest
{
    @Test
    void readmeExampleRuns() throws Exception
    {
        assertEquals("echo: hello", ReadmeExample.run());
    }

    @Test
    void readmeShowsTheSameCode() throws Exception
    {
        final String source = Files.readString(Path.of("src/test/java/dev/salvo/example/ReadmeExample.java"),
            StandardCharsets.UTF_8);
        final String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        final String body = source.substring(source.indexOf("// README-BEGIN") + "// README-BEGIN".length(),
            source.indexOf("// README-END"));
        final StringBuilder expected = new StringBuilder();
        // Strip only the surrounding blank lines: stripping the first line's indentation too would make the
        // 8-column cut below eat into its code.
        for (final String line : body.replaceAll("^\\s*\n", "").stripTrailing().split("\n"))
        {
            expected.append(line.startsWith("        ") ? line.substring(8) : line.strip()).append('\n');
        }
        assertTrue(readme.contains(expected.toString()),
            "README.md \"Using Salvo\" must contain the example exactly as in ReadmeExample.java:\n" + expected);
    }
}
