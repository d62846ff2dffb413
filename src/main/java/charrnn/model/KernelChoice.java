package charrnn.model;

/** Picks the kernels once: the Vector API's when its module is in the boot layer. */
final class KernelChoice {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final Kernels BEST = choose();

    private KernelChoice() {
    }

    private static Kernels choose() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty() || Boolean.getBoolean("charrnn.plain")) {
            return PlainKernels.INSTANCE;
        }
        try {
            // loaded by name: the class links against the incubator module, present or not at compile time
            return (Kernels) Class.forName("charrnn.model.VectorKernels").getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return PlainKernels.INSTANCE;
        }
    }

    /** Whether the vectorised kernels could be used if the module were added. */
    static boolean vectorModuleMissing() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty();
    }
}
