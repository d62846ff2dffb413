package charrnn.model;

/**
 * Picks the kernels once: the Vector API's when its module is in the boot layer and the CPU's
 * vectors hold at least 2 doubles; plain Java, which gives the same bits, otherwise.
 */
final class KernelChoice {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final Kernels BEST = choose();

    private KernelChoice() {
    }

    private static Kernels choose() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return PlainKernels.INSTANCE;
        }
        try {
            // loaded by name: the class links against the incubator module, present or not at compile time
            Class<?> vector = Class.forName("charrnn.model.VectorKernels");
            if (!(Boolean) vector.getDeclaredMethod("worthIt").invoke(null)) {
                // one lane per vector: the Vector API would run about 30 times slower than plain Java
                return PlainKernels.because("the CPU's vectors hold 1 double, too few for the Vector API");
            }
            return (Kernels) vector.getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return PlainKernels.INSTANCE;
        }
    }

    /** {@link Kernels#vector(int)}. */
    static Kernels vector(int bits) {
        if (vectorModuleMissing()) {
            throw new UnsupportedOperationException("the Vector API needs --add-modules " + VECTOR_MODULE);
        }
        try {
            return (Kernels) Class.forName("charrnn.model.VectorKernels").getDeclaredMethod("ofBits", int.class)
                    .invoke(null, bits);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the vectorised kernels could be used if the module were added. */
    static boolean vectorModuleMissing() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty();
    }
}
