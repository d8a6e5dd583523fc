package dev.gatekit.core.platforms;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/rotate-encryption-key} on the admin port: seals every platform configuration's
 * credentials again with the current {@code ENCRYPTION_KEY} (older keys in
 * {@code ENCRYPTION_KEY_PREVIOUS} still open what they sealed) and prints how many rows changed.
 * Once it reports every row, the previous keys can be removed from the configuration.
 */
public class RotateEncryptionKeyTask extends Task {

    private final PlatformConfigurationService configurations;

    public RotateEncryptionKeyTask(PlatformConfigurationService configurations) {
        super("rotate-encryption-key");
        this.configurations = configurations;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        PlatformConfigurationService.RotationResult result = configurations.rotateEncryptionKey();
        output.println("Re-encrypted " + result.reencrypted() + " of " + result.configurations()
                + " platform configurations with key " + result.keyId());
        output.flush();
    }
}
