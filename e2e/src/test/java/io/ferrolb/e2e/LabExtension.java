package io.ferrolb.e2e;

import io.ferrolb.e2e.lab.Implementation;
import io.ferrolb.e2e.lab.Lab;
import io.ferrolb.e2e.lab.Steps;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One lab for all e2e suites of a run: built on first use, torn down when the JUnit run ends (the
 * root store closes it), and by the lab's shutdown hook if the JVM dies first. Suites leave the lab
 * as they found it: every speaker running, their own Services deleted. A suite marked
 * {@link OnMetalLb} gets a lab of MetalLB's own binaries instead (the one lab there can be is
 * rebuilt when the next suite wants the other kind).
 */
public final class LabExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Lab.class;
    }

    /** Runs a suite on a lab of MetalLB's own binaries rather than ferrolb's. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    public @interface OnMetalLb {
    }

    /** The root store of the run, where the one lab lives (for {@link #switchTo}). */
    private static volatile ExtensionContext.Store rootStore;

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Implementation impl = context.getRequiredTestClass().isAnnotationPresent(OnMetalLb.class)
                ? Implementation.METALLB : Implementation.FERROLB;
        rootStore = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return labFor(rootStore, impl);
    }

    /**
     * Replaces the run's lab by one of {@code impl} (if it is not that already), for a suite that
     * compares both implementations on the same scenario.
     */
    static Lab switchTo(Implementation impl) {
        if (rootStore == null) {
            throw new IllegalStateException("no lab yet: take a Lab parameter first");
        }
        return labFor(rootStore, impl);
    }

    /**
     * Closes the run's process lab, if there is one, for a suite that builds a lab of another kind on
     * the same namespaces and addresses (the cluster lab); the next suite that takes a Lab gets a new one.
     */
    static synchronized void closeShared() {
        if (rootStore == null) {
            return;
        }
        Holder held = rootStore.remove(Holder.class, Holder.class);
        if (held != null) {
            held.close();
        }
    }

    private static synchronized Lab labFor(ExtensionContext.Store store, Implementation impl) {
        Holder held = store.get(Holder.class, Holder.class);
        if (held != null && held.lab.settings().impl() != impl) {
            // One lab at a time: its namespaces and addresses are fixed.
            store.remove(Holder.class, Holder.class);
            held.close();
        }
        return store.computeIfAbsent(Holder.class, k -> new Holder(impl), Holder.class).lab;
    }

    /** Closes the lab with the root context. */
    static final class Holder implements AutoCloseable {
        final Lab lab;

        Holder(Implementation impl) {
            if (!"0".equals(io.ferrolb.e2e.lab.Sh.run("id", "-u").stdout().strip())) {
                throw new IllegalStateException("the e2e suites create network namespaces: run them as root");
            }
            lab = Lab.up(Lab.Settings.defaults().withImpl(impl), new Steps(System.out));
            new io.ferrolb.e2e.lab.Seed(lab).applyPool();
        }

        @Override
        public void close() {
            lab.close();
        }
    }
}
