// Compile-only declaration of hudson.FilePath (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Behaviour: local files only (the real class also reaches agents through a VirtualChannel); paths are normalised
// ("." and ".." segments and repeated separators removed) much like the real one.
// copyRecursiveTo keeps symbolic links as links, as the real CopyRecursiveLocal does; list(String) knows the Ant
// patterns "**", "**/*" and plain relative paths only, and applies no default excludes.
// Left out: the (VirtualChannel, String) constructor, act(FileCallable), and everything else not listed in
// jenkins-api.md.
package hudson;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

public final class FilePath implements SerializableOnlyOverRemoting {
    private static final long serialVersionUID = 1L;

    private static final Pattern ABSOLUTE = Pattern.compile("^(?:/|[A-Za-z]:[\\\\/]|\\\\\\\\).*");

    private final String remote;

    public FilePath(@NonNull File localPath) {
        this.remote = normalize(localPath.getPath());
    }

    public FilePath(@NonNull FilePath base, @NonNull String rel) {
        if (ABSOLUTE.matcher(rel).matches()) {
            this.remote = normalize(rel);
        } else {
            char sep = base.remote.contains("\\") && !base.remote.contains("/") ? '\\' : '/';
            this.remote = normalize(base.remote + sep + rel);
        }
    }

    /** Removes "." and "name/.." segments and duplicate separators, keeping the separator style and the root. */
    private static String normalize(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        char sep = path.indexOf('\\') >= 0 && path.indexOf('/') < 0 ? '\\' : '/';
        String root = "";
        java.util.regex.Matcher m = Pattern.compile("^(\\\\\\\\|(?:[A-Za-z]:)?[\\\\/])[\\\\/]*").matcher(path);
        if (m.find()) {
            root = m.group(1);
            path = path.substring(m.end());
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("[\\\\/]+")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (part.equals("..") && !root.isEmpty()) {
                continue; // cannot go above the root
            } else {
                parts.addLast(part);
            }
        }
        String joined = String.join(String.valueOf(sep), parts);
        String result = root + joined;
        return result.isEmpty() ? "." : result;
    }

    public String getRemote() {
        return remote;
    }

    public String getName() {
        String r = remote;
        int cut = Math.max(r.lastIndexOf('/'), r.lastIndexOf('\\'));
        return r.substring(cut + 1);
    }

    public @NonNull FilePath child(String relOrAbsolute) {
        return new FilePath(this, relOrAbsolute);
    }

    @CheckForNull
    public FilePath getParent() {
        int cut = Math.max(remote.lastIndexOf('/', remote.length() - 2), remote.lastIndexOf('\\', remote.length() - 2));
        return cut >= 0 ? new FilePath(new File(remote.substring(0, cut + 1))) : null;
    }

    public boolean exists() throws IOException, InterruptedException {
        return Files.exists(local());
    }

    public void mkdirs() throws IOException, InterruptedException {
        Files.createDirectories(local());
    }

    public boolean delete() throws IOException, InterruptedException {
        Files.deleteIfExists(local());
        return true;
    }

    public boolean isDirectory() throws IOException, InterruptedException {
        return Files.isDirectory(local());
    }

    public long length() throws IOException, InterruptedException {
        return Files.isRegularFile(local()) ? Files.size(local()) : 0L;
    }

    /** Check if the relative child is really a descendant after symlink resolution if any. */
    public boolean isDescendant(@NonNull String potentialChildRelativePath) throws IOException, InterruptedException {
        if (new File(potentialChildRelativePath).isAbsolute()) {
            throw new IllegalArgumentException("Only a relative path is supported, the given path is absolute: " + potentialChildRelativePath);
        }
        Path parent = local().toAbsolutePath();
        if (!Files.exists(parent)) {
            return false;
        }
        Path child = parent.resolve(potentialChildRelativePath);
        if (!Files.exists(child)) {
            return child.normalize().startsWith(parent.normalize());
        }
        return child.toRealPath().startsWith(parent.toRealPath());
    }

    @NonNull
    public FilePath[] list(final String includes) throws IOException, InterruptedException {
        Path base = local();
        java.util.List<FilePath> found = new java.util.ArrayList<>();
        if (includes.equals("**") || includes.equals("**/*")) {
            try (java.util.stream.Stream<Path> all = Files.walk(base, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
                all.filter(Files::isRegularFile).sorted().forEach(p -> found.add(new FilePath(p.toFile())));
            }
        } else if (Files.isRegularFile(base.resolve(includes))) {
            found.add(child(includes));
        }
        return found.toArray(new FilePath[0]);
    }

    public void copyTo(FilePath target) throws IOException, InterruptedException {
        try (InputStream in = read(); OutputStream out = target.write()) {
            in.transferTo(out);
        }
    }

    /** Copies the contents of this directory recursively into the specified target directory. */
    public int copyRecursiveTo(FilePath target) throws IOException, InterruptedException {
        Path from = local();
        Path to = target.local();
        int[] copied = {0};
        try (java.util.stream.Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createDirectories(dest.getParent());
                    Files.createSymbolicLink(dest, Files.readSymbolicLink(p));
                    copied[0]++;
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    copied[0]++;
                }
            }
        }
        return copied[0];
    }

    public InputStream read() throws IOException, InterruptedException {
        return Files.newInputStream(local());
    }

    public String readToString() throws IOException, InterruptedException {
        return Files.readString(local(), Charset.defaultCharset());
    }

    public OutputStream write() throws IOException, InterruptedException {
        Path target = local().toAbsolutePath();
        Files.createDirectories(target.getParent());
        return Files.newOutputStream(target);
    }

    public void write(final String content, final String encoding) throws IOException, InterruptedException {
        try (Writer w = new OutputStreamWriter(write(), encoding == null ? Charset.defaultCharset() : Charset.forName(encoding))) {
            w.write(content);
        }
    }

    private Path local() {
        return new File(remote).toPath();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilePath && remote.equals(((FilePath) o).remote);
    }

    @Override
    public int hashCode() {
        return remote.hashCode();
    }

    @Override
    public String toString() {
        return remote;
    }
}
