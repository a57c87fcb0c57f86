/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A peer's long-term identity: a static X25519 key pair. The 32-byte public key is how other
 * peers address and authenticate this peer (a Salvo initiator must know the responder's public
 * key; the responder learns the initiator's during the handshake and decides whether to accept
 * it).
 *
 * <h2>File format</h2>
 * UTF-8 text, lines separated by {@code \n}; lines starting with {@code #} and blank lines are
 * ignored:
 * <pre>
 * salvo-static-key-v1
 * private &lt;64 lowercase hex digits: the X25519 private key&gt;
 * public &lt;64 lowercase hex digits: the matching public key&gt;
 * </pre>
 * The first significant line must be exactly {@code salvo-static-key-v1}. {@code public} is
 * informative: {@link #load} recomputes it and rejects the file if it does not match. On POSIX
 * file systems {@link #save} creates the file with permissions {@code 0600} (owner read/write)
 * and {@link #load} refuses a file readable by group or others.
 */
public final class StaticKeyPair
{
    /** Length of a private or public key in bytes. */
    public static final int KEY_LENGTH = 32;

    /** First significant line of a key file. */
    public static final String FILE_MAGIC = "salvo-static-key-v1";

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] privateKey;
    private final byte[] publicKey;

    private StaticKeyPair(final byte[] privateKey)
    {
        this.privateKey = privateKey;
        this.publicKey = new byte[KEY_LENGTH];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    /**
     * @param random source of randomness.
     * @return a fresh key pair.
     */
    public static StaticKeyPair generate(final SecureRandom random)
    {
        final byte[] privateKey = new byte[KEY_LENGTH];
        X25519.generatePrivateKey(random, privateKey);
        return new StaticKeyPair(privateKey);
    }

    /** @return a fresh key pair from a new {@link SecureRandom}. */
    public static StaticKeyPair generate()
    {
        return generate(new SecureRandom());
    }

    /**
     * @param privateKey a 32-byte X25519 private key (copied).
     * @return the key pair.
     */
    public static StaticKeyPair fromPrivateKey(final byte[] privateKey)
    {
        if (null == privateKey || KEY_LENGTH != privateKey.length)
        {
            throw new IllegalArgumentException("a private key is " + KEY_LENGTH + " bytes");
        }
        return new StaticKeyPair(privateKey.clone());
    }

    /**
     * Reads a key file in the format above.
     *
     * @param path the file.
     * @return the key pair.
     * @throws IOException if the file cannot be read, is malformed, its public key does not match,
     *                     or (POSIX) it is accessible by group or others.
     */
    public static StaticKeyPair load(final Path path) throws IOException
    {
        if (isPosix(path))
        {
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            for (final PosixFilePermission permission : permissions)
            {
                if (permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS"))
                {
                    throw new IOException(path + " is accessible by group or others; chmod 600 it");
                }
            }
        }
        final List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        boolean sawMagic = false;
        byte[] privateKey = null;
        byte[] publicKey = null;
        for (final String rawLine : lines)
        {
            final String line = rawLine.trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            if (!sawMagic)
            {
                if (!FILE_MAGIC.equals(line))
                {
                    throw new IOException(path + ": not a " + FILE_MAGIC + " file");
                }
                sawMagic = true;
            }
            else if (line.startsWith("private "))
            {
                privateKey = parseKey(path, line.substring("private ".length()).trim());
            }
            else if (line.startsWith("public "))
            {
                publicKey = parseKey(path, line.substring("public ".length()).trim());
            }
            else
            {
                throw new IOException(path + ": unexpected line");
            }
        }
        if (null == privateKey)
        {
            throw new IOException(path + ": no private key");
        }
        final StaticKeyPair keyPair = new StaticKeyPair(privateKey);
        if (null != publicKey && !MessageDigest.isEqual(publicKey, keyPair.publicKey))
        {
            keyPair.destroy();
            throw new IOException(path + ": public key does not match the private key");
        }
        return keyPair;
    }

    /**
     * Writes this key pair to {@code path}, replacing any existing file atomically. On POSIX the
     * file is created {@code 0600} before any secret is written to it.
     *
     * @param path destination.
     * @throws IOException on I/O failure.
     */
    public void save(final Path path) throws IOException
    {
        final Path absolute = path.toAbsolutePath();
        final Path directory = absolute.getParent();
        final Path temp = directory.resolve("." + absolute.getFileName() + ".tmp" + System.nanoTime());
        try
        {
            if (isPosix(directory))
            {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            }
            else
            {
                Files.createFile(temp);
            }
            final String text = "# Salvo static identity key (X25519). Keep this file secret.\n" +
                FILE_MAGIC + "\n" +
                "private " + HEX.formatHex(privateKey) + "\n" +
                "public " + HEX.formatHex(publicKey) + "\n";
            Files.write(temp, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IOException("temporary file exists: " + temp, ex);
        }
        finally
        {
            Files.deleteIfExists(temp);
        }
    }

    /** @return a copy of the 32-byte public key. */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    /** @return the public key as 64 lowercase hex digits. */
    public String publicKeyHex()
    {
        return HEX.formatHex(publicKey);
    }

    /**
     * @return a copy of the private key, for handing to a handshake. Wipe it after use.
     */
    public byte[] privateKey()
    {
        return privateKey.clone();
    }

    /**
     * @param hex 64 hex digits.
     * @return the 32-byte public key.
     * @throws IllegalArgumentException if {@code hex} is not 64 hex digits.
     */
    public static byte[] parsePublicKey(final String hex)
    {
        if (null == hex || 2 * KEY_LENGTH != hex.length())
        {
            throw new IllegalArgumentException("a public key is " + 2 * KEY_LENGTH + " hex digits");
        }
        return HEX.parseHex(hex);
    }

    /** Overwrites the private key. The object is unusable afterwards. */
    public void destroy()
    {
        Arrays.fill(privateKey, (byte)0);
    }

    private static byte[] parseKey(final Path path, final String hex) throws IOException
    {
        try
        {
            return parsePublicKey(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(path + ": a key must be " + 2 * KEY_LENGTH + " hex digits");
        }
    }

    private static boolean isPosix(final Path path)
    {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix") &&
            path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public String toString()
    {
        return "StaticKeyPair{public=" + publicKeyHex() + "}";
    }
}
