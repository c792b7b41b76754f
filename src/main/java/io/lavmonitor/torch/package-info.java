/**
 * Reads PyTorch state dicts ({@code torch.save} zip files, such as torchvision's
 * {@code resnet50-*.pth}) in plain Java, with a restricted unpickler that builds data and never
 * runs code.
 */
package io.lavmonitor.torch;
