// Go's image/png, image/jpeg, image/gif and image/draw, compiled from
// source: each encodes a small picture and decodes it again through
// image.Decode (the formats register themselves in their init functions).
// Expected output from `go run`.
package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
)

func picture() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for y := 0; y < 12; y++ {
		for x := 0; x < 16; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 20), uint8((x + y) * 8), 255})
		}
	}
	return m
}

func decode(name string, b []byte) image.Image {
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		fmt.Println(name, "decode:", err)
		return nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	fmt.Println(name, format, img.Bounds(), cfg.Width, cfg.Height, err)
	return img
}

func main() {
	m := picture()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("png %d bytes %x\n", buf.Len(), sha256.Sum256(buf.Bytes()))
	if img := decode("png", buf.Bytes()); img != nil {
		fmt.Println(img.At(3, 4), img.At(15, 11))
	}

	buf.Reset()
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("jpeg %d bytes %x\n", buf.Len(), sha256.Sum256(buf.Bytes()))
	if img := decode("jpeg", buf.Bytes()); img != nil {
		fmt.Println(img.At(3, 4), img.At(15, 11), img.ColorModel() == color.YCbCrModel)
	}

	p := image.NewPaletted(m.Bounds(), palette.Plan9)
	draw.FloydSteinberg.Draw(p, p.Bounds(), m, image.Point{})
	fmt.Println(p.ColorIndexAt(0, 0), p.ColorIndexAt(7, 5), p.ColorIndexAt(15, 11))
	buf.Reset()
	if err := gif.Encode(&buf, p, nil); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("gif %d bytes %x\n", buf.Len(), sha256.Sum256(buf.Bytes()))
	if img := decode("gif", buf.Bytes()); img != nil {
		fmt.Println(img.At(3, 4), img.(*image.Paletted).ColorIndexAt(7, 5))
	}

	dst := image.NewRGBA(image.Rect(0, 0, 4, 4))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.RGBA{0, 0, 255, 255}), image.Point{}, draw.Src)
	draw.Draw(dst, image.Rect(1, 1, 3, 3), image.NewUniform(color.RGBA{128, 0, 0, 128}), image.Point{}, draw.Over)
	fmt.Println(dst.At(0, 0), dst.At(1, 1), dst.At(3, 3))

	_, _, err := image.Decode(bytes.NewReader([]byte("\x89PNG\r\n\x1a\nbroken")))
	fmt.Println(err)
}
