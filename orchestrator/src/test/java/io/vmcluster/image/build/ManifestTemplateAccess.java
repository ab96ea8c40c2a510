package io.vmcluster.image.build;

import io.vmcluster.image.definition.ImageDefinition;

/** Test access to the package-private image.json template. */
public final class ManifestTemplateAccess {
    private ManifestTemplateAccess() {}

    public static String json(ImageDefinition d) {
        return ManifestTemplate.render(d);
    }
}
