package io.switchboard.distribute.client.internal;

import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;

/**
 * Every class a class file names: its supertypes, the types of its fields and methods, the owners
 * and types in its code, its bootstrap methods' handles, annotations, generic signatures, inner and
 * nest classes. This is what {@code asm-commons}' {@code ClassRemapper} would report to a recording
 * {@code Remapper}; it is written against core ASM so that the client carries one small jar.
 *
 * <p>It over-approximates what a worker needs (the JVM resolves most references lazily, only when
 * code runs), which is the safe side: a class the function needs but the bundle lacks fails on the
 * worker with {@code NoClassDefFoundError}.
 */
public final class ClassReferences {

    /** The ASM API level the visitors are written against. */
    private static final int API = Opcodes.ASM9;

    private final Set<String> names = new HashSet<>();

    private ClassReferences() {}

    /** The internal names ({@code com/example/App}) of the classes {@code classFile} refers to, itself included. */
    public static Set<String> of(byte[] classFile) {
        ClassReferences references = new ClassReferences();
        new ClassReader(classFile).accept(references.new Classes(), 0);
        return references.names;
    }

    private void internalName(String name) {
        if (name == null) {
            return;
        }
        if (name.startsWith("[")) {
            descriptor(name);
        } else {
            names.add(name);
        }
    }

    private void descriptor(String descriptor) {
        if (descriptor != null) {
            type(Type.getType(descriptor));
        }
    }

    private void type(Type type) {
        switch (type.getSort()) {
            case Type.ARRAY -> type(type.getElementType());
            case Type.OBJECT -> names.add(type.getInternalName());
            case Type.METHOD -> {
                type(type.getReturnType());
                for (Type argument : type.getArgumentTypes()) {
                    type(argument);
                }
            }
            default -> {
                // Primitive: nothing to ship.
            }
        }
    }

    private void signature(String signature) {
        if (signature != null) {
            new SignatureReader(signature).accept(new Signatures());
        }
    }

    private void constant(Object value) {
        switch (value) {
            case Type type -> type(type);
            case Handle handle -> {
                internalName(handle.getOwner());
                descriptor(handle.getDesc());
            }
            case ConstantDynamic dynamic -> {
                descriptor(dynamic.getDescriptor());
                constant(dynamic.getBootstrapMethod());
                for (int i = 0; i < dynamic.getBootstrapMethodArgumentCount(); i++) {
                    constant(dynamic.getBootstrapMethodArgument(i));
                }
            }
            case null, default -> {
                // Strings and numbers name no class.
            }
        }
    }

    private final class Classes extends ClassVisitor {
        Classes() {
            super(API);
        }

        @Override
        public void visit(
                int version, int access, String name, String signature, String superName, String[] interfaces) {
            internalName(name);
            internalName(superName);
            if (interfaces != null) {
                for (String i : interfaces) {
                    internalName(i);
                }
            }
            signature(signature);
        }

        @Override
        public void visitOuterClass(String owner, String name, String descriptor) {
            internalName(owner);
            descriptor(descriptor);
        }

        @Override
        public void visitNestHost(String nestHost) {
            internalName(nestHost);
        }

        @Override
        public void visitNestMember(String nestMember) {
            internalName(nestMember);
        }

        @Override
        public void visitPermittedSubclass(String permittedSubclass) {
            internalName(permittedSubclass);
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            internalName(name);
            internalName(outerName);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            descriptor(descriptor);
            return new Annotations();
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(
                int typeRef, TypePath typePath, String descriptor, boolean visible) {
            descriptor(descriptor);
            return new Annotations();
        }

        @Override
        public @Nullable RecordComponentVisitor visitRecordComponent(String name, String descriptor, String signature) {
            descriptor(descriptor);
            signature(signature);
            return null;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            descriptor(descriptor);
            signature(signature);
            return new FieldVisitor(API) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    descriptor(annotation);
                    return new Annotations();
                }
            };
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            descriptor(descriptor);
            signature(signature);
            if (exceptions != null) {
                for (String exception : exceptions) {
                    internalName(exception);
                }
            }
            return new Code();
        }
    }

    private final class Code extends MethodVisitor {
        Code() {
            super(API);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            descriptor(descriptor);
            return new Annotations();
        }

        @Override
        public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
            descriptor(descriptor);
            return new Annotations();
        }

        @Override
        public AnnotationVisitor visitAnnotationDefault() {
            return new Annotations();
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            frameTypes(local, numLocal);
            frameTypes(stack, numStack);
        }

        private void frameTypes(Object[] types, int count) {
            for (int i = 0; types != null && i < count; i++) {
                if (types[i] instanceof String name) {
                    internalName(name);
                }
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            internalName(type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            internalName(owner);
            descriptor(descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            internalName(owner);
            descriptor(descriptor);
        }

        @Override
        public void visitInvokeDynamicInsn(
                String name, String descriptor, Handle bootstrapMethodHandle, Object... bootstrapMethodArguments) {
            descriptor(descriptor);
            constant(bootstrapMethodHandle);
            for (Object argument : bootstrapMethodArguments) {
                constant(argument);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            constant(value);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            descriptor(descriptor);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            internalName(type);
        }

        @Override
        public void visitLocalVariable(
                String name, String descriptor, String signature, Label start, Label end, int index) {
            descriptor(descriptor);
            signature(signature);
        }
    }

    private final class Annotations extends AnnotationVisitor {
        Annotations() {
            super(API);
        }

        @Override
        public void visit(String name, Object value) {
            constant(value);
        }

        @Override
        public void visitEnum(String name, String descriptor, String value) {
            descriptor(descriptor);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String name, String descriptor) {
            descriptor(descriptor);
            return this;
        }

        @Override
        public AnnotationVisitor visitArray(String name) {
            return this;
        }
    }

    private final class Signatures extends SignatureVisitor {
        Signatures() {
            super(API);
        }

        @Override
        public void visitClassType(String name) {
            internalName(name);
        }

        @Override
        public void visitInnerClassType(String name) {
            // A simple name relative to the outer class type, whose full name the outer visit recorded.
        }
    }
}
