package io.hrmstream.worker.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

import java.util.OptionalLong;

/**
 * Bytes the C heap has handed out and not taken back: glibc's {@code mallinfo2()}, {@code uordblks} (in-use chunks)
 * plus {@code hblkhd} (in-use mmap'd chunks). libtorch allocates tensors through malloc, so a tensor leak shows here,
 * while freed memory glibc keeps cached (which inflates RSS) and the Java heap do not. Empty off glibc. The worker
 * can publish it as a gauge; the engine's memory test and soak watch it.
 * Written by hand: JNA does the call; no library on Maven Central exposes mallinfo2.
 */
public final class NativeMemory {

    private static final GlibcMalloc GLIBC = load();

    private NativeMemory() {
    }

    public static OptionalLong mallocInUseBytes() {
        if (GLIBC == null) return OptionalLong.empty();
        MallInfo2 info = GLIBC.mallinfo2();
        return OptionalLong.of(info.uordblks + info.hblkhd);
    }

    private static GlibcMalloc load() {
        try {
            GlibcMalloc glibc = Native.load("c", GlibcMalloc.class);
            glibc.mallinfo2();
            return glibc;
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The part of libc this class calls. */
    public interface GlibcMalloc extends Library {
        MallInfo2 mallinfo2();
    }

    /** {@code struct mallinfo2} (glibc >= 2.33): every field a size_t, in declaration order. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;      // non-mmapped space allocated from the system
        public long ordblks;    // free chunks
        public long smblks;     // free fastbin blocks
        public long hblks;      // mmapped regions
        public long hblkhd;     // bytes in mmapped regions
        public long usmblks;    // unused, always 0
        public long fsmblks;    // bytes in freed fastbin blocks
        public long uordblks;   // bytes in in-use chunks
        public long fordblks;   // bytes in free chunks
        public long keepcost;   // top-most releasable space
    }
}
