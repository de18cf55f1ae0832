package io.ferrolb.e2e;

import io.ferrolb.e2e.lab.Lab;
import io.ferrolb.e2e.lab.Steps;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One lab for all e2e suites of a run: built on first use, torn down when the JUnit run ends (the
 * root store closes it), and by the lab's shutdown hook if the JVM dies first. Suites leave the lab
 * as they found it: every speaker running, their own Services deleted.
 */
public final class LabExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(Holder.class, k -> new Holder(), Holder.class).lab;
    }

    /** Closes the lab with the root context. */
    static final class Holder implements AutoCloseable {
        final Lab lab;

        Holder() {
            if (!"0".equals(io.ferrolb.e2e.lab.Sh.run("id", "-u").stdout().strip())) {
                throw new IllegalStateException("the e2e suites create network namespaces: run them as root");
            }
            lab = Lab.up(Lab.Settings.defaults(), new Steps(System.out));
            new io.ferrolb.e2e.lab.Seed(lab).applyPool();
        }

        @Override
        public void close() {
            lab.close();
        }
    }
}
