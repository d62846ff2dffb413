package charrnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

/** charrnn's mark on its images: read back by the JDK's own PNG reader, and recognised only when whole. */
class PngTest {
    @TempDir
    Path dir;

    private static byte[] image() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void theMarkedImageIsStillThatImageAndCarriesTheSoftwareText() throws IOException {
        byte[] png = image();
        byte[] marked = Png.mark(png);
        assertEquals(png.length + 4 + 4 + 16 + 4, marked.length);
        // the JDK's reader sees the same pixels and the text chunk
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(marked))) {
            reader.setInput(in);
            BufferedImage back = reader.read(0);
            assertEquals(0x336699, back.getRGB(1, 1) & 0xFFFFFF);
            assertEquals(3, back.getWidth());
            Node root = reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            IIOMetadataNode text = (IIOMetadataNode) ((IIOMetadataNode) root).getElementsByTagName("tEXtEntry").item(0);
            assertEquals("Software", text.getAttribute("keyword"));
            assertEquals("charrnn", text.getAttribute("value"));
        } finally {
            reader.dispose();
        }
        // the chunk's CRC covers its type and data (PNG specification, section 5.3)
        ByteBuffer b = ByteBuffer.wrap(marked, 33, 28);
        assertEquals(16, b.getInt());
        byte[] typeAndData = new byte[20];
        b.get(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        assertEquals((int) crc.getValue(), b.getInt());
        // the rest is the original, around the inserted chunk
        assertArrayEquals(Arrays.copyOf(png, 33), Arrays.copyOf(marked, 33));
        assertArrayEquals(Arrays.copyOfRange(png, 33, png.length), Arrays.copyOfRange(marked, 61, marked.length));

        assertTrue(Png.isCharrnns(marked));
        assertTrue(Png.isCharrnns(Arrays.copyOf(marked, 33 + 8 + 16)));
        assertFalse(Png.isCharrnns(png));
    }

    @Test
    void onlyAWholeMarkRightAfterTheHeaderCounts() throws IOException {
        byte[] marked = Png.mark(image());
        assertFalse(Png.isCharrnns(Arrays.copyOf(marked, 33 + 8 + 15)));
        int[] places = {0, 7, 33 + 3, 33 + 4, 33 + 7, 33 + 8, 33 + 8 + 15};
        for (int at : places) {
            byte[] bad = marked.clone();
            bad[at] ^= 1;
            assertFalse(Png.isCharrnns(bad), "byte " + at + " changed");
        }
        assertFalse(Png.isCharrnns(new byte[0]));
    }

    @Test
    void onlyAPngCanBeMarked() throws IOException {
        byte[] png = image();
        assertThrows(IllegalArgumentException.class, () -> Png.mark("GIF89a and more bytes than a header".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class, () -> Png.mark(Arrays.copyOf(png, 32)));
        assertEquals(png.length - 33 + 61, Png.mark(Arrays.copyOf(png, png.length)).length);
        // exactly the signature and header: the mark goes at the end
        byte[] headerOnly = Arrays.copyOf(png, 33);
        byte[] marked = Png.mark(headerOnly);
        assertEquals(61, marked.length);
        assertTrue(Png.isCharrnns(marked));
    }

    @Test
    void plotReplacesAMarkedImageAndNoOther() throws IOException {
        Path p = dir.resolve("loss.png");
        Files.write(p, image());
        assertThrows(OutputException.class, () -> OutputFile.write(p, OutputFile.Kind.PNG, Png.mark(image())));
        Files.delete(p);
        OutputFile.write(p, OutputFile.Kind.PNG, Png.mark(image()));
        OutputFile.write(p, OutputFile.Kind.PNG, Png.mark(image()));
        assertTrue(Png.isCharrnns(Files.readAllBytes(p)));
    }
}
