/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class StaticKeyPairTest
{
    @TempDir
    Path directory;

    @Test
    void publicKeyMatchesPrivateKey()
    {
        final StaticKeyPair keyPair = StaticKeyPair.generate(new SecureRandom());
        final byte[] expected = new byte[32];
        X25519.generatePublicKey(keyPair.privateKey(), 0, expected, 0);
        assertArrayEquals(expected, keyPair.publicKey());
        assertEquals(HexFormat.of().formatHex(expected), keyPair.publicKeyHex());
        assertArrayEquals(expected, StaticKeyPair.parsePublicKey(keyPair.publicKeyHex()));
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException
    {
        final StaticKeyPair keyPair = StaticKeyPair.generate();
        final Path file = directory.resolve("identity.key");
        keyPair.save(file);
        final StaticKeyPair loaded = StaticKeyPair.load(file);
        assertArrayEquals(keyPair.privateKey(), loaded.privateKey());
        assertArrayEquals(keyPair.publicKey(), loaded.publicKey());
        final String text = Files.readString(file);
        assertFalse(text.contains("null"));
        assertEquals(1, Arrays.stream(text.split("\n")).filter(StaticKeyPair.FILE_MAGIC::equals).count());
        // Overwrite works and leaves no temporary file behind.
        StaticKeyPair.generate().save(file);
        try (var files = Files.list(directory))
        {
            assertEquals(1, files.count());
        }
    }

    @Test
    void savedFileIsOwnerOnly() throws IOException
    {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        final Path file = directory.resolve("identity.key");
        StaticKeyPair.generate().save(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void loadRefusesGroupReadableFile() throws IOException
    {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        final Path file = directory.resolve("identity.key");
        StaticKeyPair.generate().save(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThrows(IOException.class, () -> StaticKeyPair.load(file));
    }

    @Test
    void loadRejectsMismatchedPublicKey() throws IOException
    {
        final StaticKeyPair a = StaticKeyPair.generate();
        final StaticKeyPair b = StaticKeyPair.generate();
        final Path file = write(StaticKeyPair.FILE_MAGIC + "\nprivate " + HexFormat.of().formatHex(a.privateKey()) +
            "\npublic " + b.publicKeyHex() + "\n");
        assertThrows(IOException.class, () -> StaticKeyPair.load(file));
    }

    @Test
    void loadRejectsMalformedFiles() throws IOException
    {
        final String key = HexFormat.of().formatHex(StaticKeyPair.generate().privateKey());
        for (final String text : new String[]{
            "", "salvo-static-key-v2\nprivate " + key, StaticKeyPair.FILE_MAGIC + "\n",
            StaticKeyPair.FILE_MAGIC + "\nprivate " + key.substring(2), StaticKeyPair.FILE_MAGIC + "\nprivate zz" +
            key.substring(2), StaticKeyPair.FILE_MAGIC + "\nprivate " + key + "\nextra"})
        {
            final Path file = write(text);
            assertThrows(IOException.class, () -> StaticKeyPair.load(file), text);
        }
    }

    @Test
    void loadAcceptsCommentsAndMissingPublicLine() throws IOException
    {
        final StaticKeyPair keyPair = StaticKeyPair.generate();
        final Path file = write("# comment\n\n" + StaticKeyPair.FILE_MAGIC + "\nprivate " +
            HexFormat.of().formatHex(keyPair.privateKey()) + "\n");
        assertArrayEquals(keyPair.publicKey(), StaticKeyPair.load(file).publicKey());
    }

    private Path write(final String text) throws IOException
    {
        final Path file = Files.createTempFile(directory, "key", ".txt");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
        {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }
}
