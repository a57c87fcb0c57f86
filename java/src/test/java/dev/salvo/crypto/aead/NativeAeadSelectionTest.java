/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.io.NativeLibrary;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which AEAD AUTO picks when I/O is forced to NIO, and when libcrypto cannot be found (child JVMs). */
class NativeAeadSelectionTest
{
    @Test
    void forcingNioLeavesTheNativeAeadInUse() throws Exception
    {
        assumeTrue(NativeAeadCipher.isAvailable(), () -> "native AEAD unavailable: " + NativeAeadCipher.description());
        final String output = runChild("-D" + NativeLibrary.FORCE_NIO_PROP_NAME + "=true");
        assertTrue(output.contains("io=false native=true auto=NATIVE roundTrip=true"), output);
    }

    @Test
    void missingLibcryptoFallsBackToTheJdk() throws Exception
    {
        final String output = runChild("-D" + NativeAeadCipher.LIBCRYPTO_PROP_NAME + "=libsalvo-no-such-crypto.so.9");
        assertTrue(output.contains("native=false auto=JDK roundTrip=true"), output);
    }

    private static String runChild(final String property) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add(property);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Child.class.getName());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final byte[] output = process.getInputStream().readAllBytes(); // ends when the child exits
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
        }
        final String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }

    /** Child JVM: prints what was chosen and whether a packet seals and opens with it. */
    public static final class Child
    {
        public static void main(final String[] args)
        {
            final AeadImplementation auto = AeadImplementation.configured(AeadAlgorithm.AES_128_GCM);
            final AeadCipher cipher = auto.newCipher(AeadAlgorithm.AES_128_GCM);
            cipher.init(new byte[16], new byte[12]);
            final ByteBuffer packet = ByteBuffer.allocateDirect(9 + 100 + 16);
            packet.put(20, (byte)7);
            cipher.seal(1, packet, 0, 9, 100);
            final boolean roundTrip = packet.get(20) != 7 && cipher.open(1, packet, 0, 9, 116) && packet.get(20) == 7;
            System.out.println("io=" + NativeLibrary.isAvailable() + " native=" + NativeAeadCipher.isAvailable() +
                " auto=" + auto + " roundTrip=" + roundTrip + " (" + NativeAeadCipher.description() + ")");
        }
    }
}
