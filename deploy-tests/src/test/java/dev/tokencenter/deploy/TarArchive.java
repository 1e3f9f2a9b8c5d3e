package dev.tokencenter.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Just enough of the tar format (ustar, PAX and GNU long names) to read an image tar and its layers. */
final class TarArchive {

    private TarArchive() {
    }

    /** Entry names to their sizes; the content of entries {@code keep} accepts is returned too. */
    static Map<String, byte[]> read(InputStream in, Predicate<String> keep, Map<String, Long> sizes) throws IOException {
        Map<String, byte[]> kept = new LinkedHashMap<>();
        byte[] header = new byte[512];
        String longName = null;
        while (readFully(in, header)) {
            if (isZero(header)) {
                break;
            }
            String name = text(header, 0, 100);
            String prefix = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar") ? text(header, 345, 155) : "";
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
            char type = (char) header[156];
            boolean meta = type == 'x' || type == 'L';
            boolean wanted = meta || keep.test(longName != null ? longName : name);
            byte[] content = wanted ? in.readNBytes((int) size) : null;
            if (!wanted) {
                in.skipNBytes(size);
            }
            in.skipNBytes((512 - size % 512) % 512);
            if (type == 'x') {
                longName = paxPath(new String(content, StandardCharsets.UTF_8), longName);
                continue;
            }
            if (type == 'L') {
                longName = text(content, 0, content.length);
                continue;
            }
            String entry = normalize(longName != null ? longName : name);
            longName = null;
            sizes.put(entry, size);
            if (content != null) {
                kept.put(entry, content);
            }
        }
        return kept;
    }

    private static String normalize(String name) {
        String result = name.startsWith("./") ? name.substring(2) : name;
        return result.startsWith("/") ? result.substring(1) : result;
    }

    private static String paxPath(String records, String current) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 6);
            }
        }
        return current;
    }

    private static String text(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, block.length);
        return read == block.length;
    }
}
